package dev.dukequeue.web.rest;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API's root, {@code /dukequeue/api/v1}; every path under it requires HTTP Basic credentials (web.xml). */
@ApplicationPath("api/v1")
@DeclareRoles({"admin", "viewer"})
public class RestApplication extends Application {
}
