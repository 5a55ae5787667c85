package dev.dukequeue.it.handlers;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * {@code GET /api/v1/it-broken}: fails with an exception no mapper knows, so that a test can see what the API answers
 * for an unexpected failure. Part of the test deployments only (this module's classes are added to the WAR).
 */
@Path("it-broken")
public class BrokenResource {

    /** The exception's message, which must never reach the client. */
    public static final String SECRET = "internal-detail-7f3a";

    @GET
    public String fail() {
        throw new IllegalStateException("unexpected failure with " + SECRET);
    }
}
