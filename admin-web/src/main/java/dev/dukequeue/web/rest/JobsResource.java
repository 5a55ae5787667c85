package dev.dukequeue.web.rest;

import dev.dukequeue.JobId;
import dev.dukequeue.JobNotFoundException;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.RedriveResult;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.admin.JobFilter;
import dev.dukequeue.engine.admin.JobSearch;
import dev.dukequeue.web.rest.dto.BadRequestException;
import dev.dukequeue.web.rest.dto.JobJson;
import dev.dukequeue.web.rest.dto.JobRequestJson;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** {@code /api/v1/jobs}: submit, read, list, cancel and re-drive jobs. */
@Path("jobs")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    @Inject
    JobQueue queue;

    @Inject
    JobSearch search;

    @Context
    UriInfo uri;

    /**
     * 201 with {id, state, created: true} for a new job; 200 with the existing job (and {@code "created": false}) when
     * the idempotency key matched one.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response submit(String body) {
        JobRequest request = JobRequestJson.read(JobRequestJson.parseObject(body), "");
        JobReceipt receipt = queue.submit(request);
        if (receipt.created()) {
            return Response.created(uri.getAbsolutePathBuilder().path(receipt.id().toString()).build())
                    .entity(JobJson.receipt(receipt)).build();
        }
        return queue.find(receipt.id()).map(v -> Response.ok(JobJson.existing(v)))
                .orElseGet(() -> Response.ok(JobJson.receipt(receipt))).build();
    }

    /**
     * Atomic: {"jobs": [...]} are all stored, or none (any invalid job rejects the whole batch with 400). 201 when at
     * least one job was created; 200 when every job matched an existing idempotency key.
     */
    @POST
    @Path("batch")
    @Consumes(MediaType.WILDCARD)
    public Response submitBatch(String body) {
        List<JobRequest> requests = JobRequestJson.readBatch(JobRequestJson.parseObject(body));
        if (requests.isEmpty()) {
            throw new BadRequestException("invalid_request", "jobs", "jobs must contain at least one job");
        }
        List<JobReceipt> receipts = queue.submitAll(requests);
        JsonArrayBuilder items = Json.createArrayBuilder();
        receipts.forEach(r -> items.add(JobJson.receipt(r)));
        boolean anyCreated = receipts.stream().anyMatch(JobReceipt::created);
        return Response.status(anyCreated ? Response.Status.CREATED : Response.Status.OK)
                .entity(Json.createObjectBuilder().add("jobs", items).build()).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        JobId jobId = jobId(id);
        return Response.ok(JobJson.job(queue.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId)))).build();
    }

    @GET
    @Path("{id}/attempts")
    public Response attempts(@PathParam("id") String id) {
        JobId jobId = jobId(id);
        if (queue.find(jobId).isEmpty()) {
            throw new JobNotFoundException(jobId);
        }
        return Response.ok(JobJson.attempts(search.attempts(jobId))).build();
    }

    /** Newest first, keyset-paginated: pass {@code nextCursor} back as {@code cursor}. */
    @GET
    public Response list(@QueryParam("state") String state, @QueryParam("type") String type,
            @QueryParam("queue") String queueName, @QueryParam("limit") @DefaultValue("50") String limit,
            @QueryParam("cursor") String cursor) {
        JobState stateFilter = null;
        if (state != null && !state.isBlank()) {
            try {
                stateFilter = JobState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("invalid_parameter", "state", "state must be one of "
                        + java.util.Arrays.toString(JobState.values()));
            }
        }
        int size;
        try {
            size = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > JobSearch.MAX_LIMIT) {
            throw new BadRequestException("invalid_parameter", "limit", "limit must be an integer between 1 and "
                    + JobSearch.MAX_LIMIT);
        }
        try {
            JobFilter filter = new JobFilter(stateFilter, blankToNull(type), blankToNull(queueName));
            return Response.ok(JobJson.page(search.list(filter, size, cursor))).build();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("invalid_parameter", "cursor", e.getMessage());
        }
    }

    /**
     * Bulk re-drive: {@code {"state": "DEAD_LETTER"|"FAILED", "queue", "type", "finishedFrom", "finishedTo",
     * "limit"}}, every field optional (an empty object re-drives the oldest 1000 dead letters). Answers what was
     * re-driven and what was skipped, with the reason.
     */
    @POST
    @Path("redrive")
    @Consumes(MediaType.WILDCARD)
    public Response redrive(String body) {
        RedriveResult result = queue.redrive(JobRequestJson.readRedriveFilter(
                body == null || body.isBlank() ? Json.createObjectBuilder().build() : JobRequestJson.parseObject(body)));
        JsonArrayBuilder redriven = Json.createArrayBuilder();
        result.redriven().forEach(id -> redriven.add(id.toString()));
        JsonArrayBuilder skipped = Json.createArrayBuilder();
        result.skipped().forEach((id, reason) -> skipped.add(Json.createObjectBuilder().add("id", id.toString())
                .add("reason", reason)));
        return Response.ok(Json.createObjectBuilder().add("matched", result.matched())
                .add("redriven", redriven).add("skipped", skipped).build()).build();
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        return Response.ok(JobJson.job(queue.cancel(jobId(id)))).build();
    }

    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("id") String id) {
        return Response.ok(JobJson.job(queue.retry(jobId(id)))).build();
    }

    private static JobId jobId(String id) {
        try {
            return JobId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("invalid_parameter", "id", "id must be a job id (a UUID)");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
