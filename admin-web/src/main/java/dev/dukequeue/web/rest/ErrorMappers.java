package dev.dukequeue.web.rest;

import dev.dukequeue.IllegalJobStateException;
import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobNotFoundException;
import dev.dukequeue.JobQueueException;
import dev.dukequeue.PayloadTooLargeException;
import dev.dukequeue.web.rest.dto.BadRequestException;
import dev.dukequeue.web.rest.dto.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Maps every failure to a status code and an RFC 9457 problem ({@link Problem}); never an HTML error page. */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    static Response json(Response.Status status, String error, String field, String message) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.text(status.getStatusCode(), error, field, message)).build();
    }

    @Provider
    public static class BadRequest implements ExceptionMapper<BadRequestException> {
        @Override
        public Response toResponse(BadRequestException e) {
            return json(Response.Status.BAD_REQUEST, e.error(), e.field(), e.getMessage());
        }
    }

    @Provider
    public static class InvalidRequest implements ExceptionMapper<InvalidJobRequestException> {
        @Override
        public Response toResponse(InvalidJobRequestException e) {
            Response.Status status = e instanceof PayloadTooLargeException
                    ? Response.Status.REQUEST_ENTITY_TOO_LARGE : Response.Status.BAD_REQUEST;
            return json(status, status == Response.Status.BAD_REQUEST ? "invalid_request" : "payload_too_large",
                    e.field(), e.getMessage());
        }
    }

    @Provider
    public static class NotFound implements ExceptionMapper<JobNotFoundException> {
        @Override
        public Response toResponse(JobNotFoundException e) {
            return json(Response.Status.NOT_FOUND, "not_found", "id", e.getMessage());
        }
    }

    @Provider
    public static class Conflict implements ExceptionMapper<IllegalJobStateException> {
        @Override
        public Response toResponse(IllegalJobStateException e) {
            return json(Response.Status.CONFLICT, "illegal_state", "state", e.getMessage());
        }
    }

    /** Backpressure: the queue holds as many waiting jobs as it may. Nothing was written. */
    @Provider
    public static class QueueFull implements ExceptionMapper<dev.dukequeue.QueueFullException> {
        @Override
        public Response toResponse(dev.dukequeue.QueueFullException e) {
            return Response.status(429).header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                    .type(Problem.MEDIA_TYPE).entity(Problem.text(429, "queue_full", "queue", e.getMessage())).build();
        }
    }

    /** The database circuit is open or the store could not take the request: nothing was written. */
    @Provider
    public static class QueueUnavailable implements ExceptionMapper<dev.dukequeue.QueueUnavailableException> {
        @Override
        public Response toResponse(dev.dukequeue.QueueUnavailableException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", Math.max(1, e.retryAfter().toSeconds()))
                    .type(Problem.MEDIA_TYPE).entity(Problem.text(503, "unavailable", null, e.getMessage())).build();
        }
    }

    /** The store failed (database down, constraint broken): nothing was written; try again later. */
    @Provider
    public static class Unavailable implements ExceptionMapper<JobQueueException> {
        @Override
        public Response toResponse(JobQueueException e) {
            LOG.log(Level.WARNING, "request failed in the engine: " + e.getMessage(), e);
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.text(503, "unavailable", null, "the job store is unavailable: " + e.getMessage()))
                    .build();
        }
    }

    /** A transaction failed at commit (the database went away mid-request): nothing was written. */
    @Provider
    public static class TransactionFailed implements ExceptionMapper<jakarta.transaction.TransactionalException> {
        @Override
        public Response toResponse(jakarta.transaction.TransactionalException e) {
            LOG.log(Level.WARNING, "transaction failed: " + e.getMessage(), e);
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.text(503, "unavailable", null, "the transaction failed; nothing was written")).build();
        }
    }

    /**
     * JAX-RS's own errors (404 for an unknown path, 405, 415...) keep their status and headers (a 405's Allow), with a
     * JSON body. A 5xx among them is a failure of the server: logged with an error id, like {@link Unexpected}.
     */
    @Provider
    public static class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response.StatusType status = e.getResponse().getStatusInfo();
            boolean serverError = status.getFamily() == Response.Status.Family.SERVER_ERROR;
            String message = serverError
                    ? InternalErrors.message(InternalErrors.record(e, "a JAX-RS request (" + status.getStatusCode() + ")"))
                    : status.getReasonPhrase();
            return Response.fromResponse(e.getResponse()).type(Problem.MEDIA_TYPE)
                    .entity(Problem.text(status.getStatusCode(), serverError ? "internal" : "http_" + status.getStatusCode(),
                            null, message))
                    .build();
        }
    }

    /**
     * Anything no other mapper knows (the most specific mapper wins, so this one sees only the unexpected): a JSON 500
     * with an error id, logged with the stack trace under the same id.
     */
    @Provider
    public static class Unexpected implements ExceptionMapper<Throwable> {

        @jakarta.ws.rs.core.Context
        jakarta.ws.rs.core.UriInfo uri;

        @jakarta.ws.rs.core.Context
        jakarta.ws.rs.core.Request request;

        @Override
        public Response toResponse(Throwable e) {
            String what = (request == null ? "" : request.getMethod() + " ") + (uri == null ? "?" : uri.getRequestUri());
            return json(Response.Status.INTERNAL_SERVER_ERROR, "internal", null,
                    InternalErrors.message(InternalErrors.record(e, what)));
        }
    }
}
