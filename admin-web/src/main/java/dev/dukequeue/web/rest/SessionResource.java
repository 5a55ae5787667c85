package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Jsons;
import dev.dukequeue.web.security.AuthenticatedBy;
import dev.dukequeue.web.security.UiSession;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /session}: who is calling, with which roles, and the CSRF token of the UI session (null without one). */
@Path("session")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    @Context
    HttpServletRequest request;

    @GET
    public JsonObject session() {
        JsonArrayBuilder roles = Jsons.JSON.createArrayBuilder();
        for (String role : new String[] {"admin", "viewer"}) {
            if (request.isUserInRole(role)) {
                roles.add(role);
            }
        }
        // Only a session-authenticated caller (the UI) needs and gets the token; Basic callers get null.
        String token = AuthenticatedBy.of(request) == AuthenticatedBy.SESSION ? UiSession.token(request) : null;
        var b = Jsons.JSON.createObjectBuilder().add("user", request.getUserPrincipal().getName()).add("roles", roles);
        return (token == null ? b.addNull("csrfToken") : b.add("csrfToken", token)).build();
    }
}
