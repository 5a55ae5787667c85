package dev.dukequeue.sample.connector;

import dev.dukequeue.QueueUnavailableException;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /sample-connector/api/invoices?customer=...&cents=...}: issues an invoice and its job. */
@Path("invoices")
public class InvoiceResource {

    /** The JAX-RS application of this sample. */
    @ApplicationPath("api")
    public static class Api extends Application {
    }

    @Inject
    Invoices invoices;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(@QueryParam("customer") String customer, @QueryParam("cents") long cents) {
        try {
            Invoices.Issued issued = invoices.issue(customer, cents);
            return Response.status(201).entity(Json.createObjectBuilder().add("invoice", issued.invoice())
                    .add("job", issued.job()).build()).build();
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (QueueUnavailableException e) {
            return Response.fromResponse(error(503, e.getMessage()))
                    .header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IllegalArgumentException) {
                return error(400, cause.getMessage());
            }
            if (cause instanceof QueueUnavailableException q) {
                return error(503, q.getMessage());
            }
            return error(500, "invoice not issued: " + cause);
        }
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Json.createObjectBuilder().add("error", String.valueOf(message)).build()).build();
    }
}
