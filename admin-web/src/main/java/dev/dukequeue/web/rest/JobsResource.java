package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Jsons;
import dev.dukequeue.InstantWindow;
import dev.dukequeue.JobId;
import dev.dukequeue.QueueName;
import dev.dukequeue.JobNotFoundException;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.RedriveResult;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.read.JobFilter;
import dev.dukequeue.engine.read.JobSearch;
import dev.dukequeue.web.rest.dto.BadRequestException;
import dev.dukequeue.web.rest.dto.JobJson;
import dev.dukequeue.web.rest.dto.Problem;
import dev.dukequeue.web.rest.dto.JobRequestJson;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * {@code /api/v1/jobs}: submit, read, list, cancel and re-drive jobs. Bodies are JSON: no method declares
 * {@code @Consumes}, because {@link dev.dukequeue.web.http.JsonBodyFilter} already admits {@code application/json}
 * only (with a JSON 415 otherwise) and lets a state change without a body through without a {@code Content-Type}.
 */
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
    @Operation(summary = "Submit a job", description = "Stores one job in its own transaction. Fields: type (required),"
            + " payload, queue, priority 0..4, runAt or delayMs, maxAttempts, timeoutMs, idempotencyKey, dependsOn,"
            + " lifetimeMs. See docs/flow-control.md.")
    @RequestBody(content = @Content(mediaType = "application/json", example = "{\"type\":\"invoice.send\","
            + "\"payload\":{\"invoice\":42},\"queue\":\"billing\",\"priority\":1,\"idempotencyKey\":\"invoice-42\"}"))
    @APIResponse(responseCode = "201", description = "Created; Location points at the job",
            content = @Content(mediaType = "application/json",
                    example = "{\"id\":\"6f1c0d52-0a7e-4b59-9d7e-3c2b8d1e5a10\",\"state\":\"SCHEDULED\",\"created\":true}"))
    @APIResponse(responseCode = "200", description = "The idempotency key matched a job: that job, with created false")
    @APIResponse(ref = "BadRequest")
    @APIResponse(responseCode = "413", description = "The payload is larger than dukequeue.payload.max.bytes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(responseCode = "429", description = "The queue holds as many waiting jobs as it may; retry after"
            + " Retry-After", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem"),
                    example = "{\"type\":\"urn:dukequeue:problem:queue_full\",\"title\":\"Too Many Requests\","
                            + "\"status\":429,\"detail\":\"queue 'billing' is full: 5000 jobs waiting, limit 5000;"
                            + " retry in 5 s\",\"error\":\"queue_full\",\"field\":\"queue\",\"message\":\"...\"}"))
    @APIResponse(ref = "Unavailable")
    public Response submit(@Parameter(description = "An alternative to the body's idempotencyKey (1..200 characters);"
            + " with both, they must be equal") @HeaderParam(JobRequestJson.IDEMPOTENCY_HEADER) String idempotencyKey,
            String body) {
        JobRequest request = JobRequestJson.read(
                JobRequestJson.withIdempotencyHeader(JobRequestJson.parseObject(body), idempotencyKey), "");
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
    @Operation(summary = "Submit jobs atomically", description = "All jobs or none. Jobs may depend on each other"
            + " through key and dependsOnKeys; a cycle is refused naming it.")
    @RequestBody(content = @Content(mediaType = "application/json", example = "{\"jobs\":[{\"type\":\"fetch\","
            + "\"key\":\"fetch\"},{\"type\":\"report\",\"dependsOnKeys\":[\"fetch\"]}]}"))
    @APIResponse(responseCode = "201", description = "Stored; one receipt per job, in order",
            content = @Content(mediaType = "application/json", example = "{\"jobs\":[{\"id\":\"...\","
                    + "\"state\":\"SCHEDULED\",\"created\":true},{\"id\":\"...\",\"state\":\"PENDING\","
                    + "\"created\":true}]}"))
    @APIResponse(ref = "BadRequest")
    @APIResponse(responseCode = "429", description = "A queue is full",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(ref = "Unavailable")
    public Response submitBatch(@HeaderParam(JobRequestJson.IDEMPOTENCY_HEADER) String idempotencyKey, String body) {
        if (idempotencyKey != null) {
            // One key cannot name many jobs: refused rather than ignored.
            String header = JobRequestJson.IDEMPOTENCY_HEADER;
            throw new BadRequestException("invalid_request", header, header + " is not accepted by /jobs/batch: give"
                    + " each job its own idempotencyKey in the body");
        }
        List<JobRequest> requests = JobRequestJson.readBatch(JobRequestJson.parseObject(body));
        if (requests.isEmpty()) {
            throw new BadRequestException("invalid_request", "jobs", "jobs must contain at least one job");
        }
        List<JobReceipt> receipts = queue.submitAll(requests);
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        receipts.forEach(r -> items.add(JobJson.receipt(r)));
        boolean anyCreated = receipts.stream().anyMatch(JobReceipt::created);
        return Response.status(anyCreated ? Response.Status.CREATED : Response.Status.OK)
                .entity(Jsons.JSON.createObjectBuilder().add("jobs", items).build()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a job", description = "State, attempts, times, payload, result, last error,"
            + " dependencies, checkpoint and progress")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(ref = "BadRequest")
    @APIResponse(ref = "NotFound")
    public Response get(@PathParam("id") String id) {
        JobId jobId = jobId(id);
        return Response.ok(JobJson.job(queue.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId)))).build();
    }

    /** The page size of {@code GET /jobs/{id}/attempts} when the request gives none. */
    public static final int DEFAULT_ATTEMPTS_LIMIT = 50;

    @GET
    @Path("{id}/attempts")
    @Operation(summary = "The executions of a job", description = "Oldest first, paginated: limit (1..200, default"
            + " 50), and nextCursor passed back as cursor. Node, start, end, outcome, category, message and stack trace"
            + " (at most 8192 characters, stackTraceTruncated says when cut) of each execution")
    @APIResponse(responseCode = "200", description = "A page", content = @Content(mediaType = "application/json",
            example = "{\"items\":[],\"nextCursor\":null}"))
    @APIResponse(ref = "BadRequest")
    @APIResponse(ref = "NotFound")
    public Response attempts(@PathParam("id") String id, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        JobId jobId = jobId(id);
        int size = limitParam(limit, DEFAULT_ATTEMPTS_LIMIT, JobSearch.MAX_ATTEMPTS_LIMIT);
        if (queue.find(jobId).isEmpty()) {
            throw new JobNotFoundException(jobId);
        }
        try {
            return Response.ok(JobJson.attempts(search.attempts(jobId, cursor, size))).build();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("invalid_parameter", "cursor", e.getMessage());
        }
    }

    /** Newest first, keyset-paginated: pass {@code nextCursor} back as {@code cursor}. */
    @GET
    @Operation(summary = "List jobs", description = "Newest first, keyset-paginated: pass nextCursor back as cursor."
            + " Filters: state, queue, type, text (the job id, or part of the idempotency key, type or last error),"
            + " from and to (submission time, ISO-8601 instants from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z)."
            + " limit 1..500, default 50. Each item's payload, result and checkpoint is null when its JSON is longer"
            + " than 1024 characters, with payloadTruncated (resultTruncated, checkpointTruncated) true: GET"
            + " /jobs/{id} has it whole")
    @APIResponse(responseCode = "200", description = "A page", content = @Content(mediaType = "application/json",
            example = "{\"items\":[],\"nextCursor\":null}"))
    @APIResponse(ref = "BadRequest")
    public Response list(@QueryParam("state") String state, @QueryParam("type") String type,
            @QueryParam("queue") String queueName, @QueryParam("limit") @DefaultValue("50") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("text") String text, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        JobState stateFilter = null;
        if (state != null && !state.isBlank()) {
            try {
                stateFilter = JobState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("invalid_parameter", "state", "state must be one of "
                        + java.util.Arrays.toString(JobState.values()));
            }
        }
        int size = limitParam(limit, 50, JobSearch.MAX_LIMIT);
        String queueFilter = blankToNull(queueName);
        if (queueFilter != null && !QueueName.isValid(queueFilter)) {
            throw new BadRequestException("invalid_parameter", "queue", "queue " + QueueName.RULE);
        }
        requireLength("type", type, MAX_TYPE_FILTER_CHARS);
        requireLength("text", text, MAX_TEXT_FILTER_CHARS);
        JobFilter filter = new JobFilter(stateFilter, blankToNull(type), queueFilter, blankToNull(text),
                instantParam("from", from), instantParam("to", to));
        try {
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
    @Operation(summary = "Re-drive dead letters by filter", description = "state (DEAD_LETTER or FAILED), queue, type,"
            + " finishedFrom, finishedTo, limit; oldest first")
    @APIResponse(responseCode = "200", description = "What was re-driven and what was skipped, with the reason",
            content = @Content(mediaType = "application/json", example = "{\"matched\":2,\"redriven\":[\"...\"],"
                    + "\"skipped\":[{\"id\":\"...\",\"reason\":\"its dependency ... is DEAD_LETTER; re-drive or"
                    + " replace that job first\"}]}"))
    @APIResponse(ref = "BadRequest")
    public Response redrive(String body) {
        RedriveResult result = queue.redrive(JobRequestJson.readRedriveFilter(
                body == null || body.isBlank() ? Jsons.JSON.createObjectBuilder().build() : JobRequestJson.parseObject(body)));
        JsonArrayBuilder redriven = Jsons.JSON.createArrayBuilder();
        result.redriven().forEach(id -> redriven.add(id.toString()));
        JsonArrayBuilder skipped = Jsons.JSON.createArrayBuilder();
        result.skipped().forEach((id, reason) -> skipped.add(Jsons.JSON.createObjectBuilder().add("id", id.toString())
                .add("reason", reason)));
        return Response.ok(Jsons.JSON.createObjectBuilder().add("matched", result.matched())
                .add("redriven", redriven).add("skipped", skipped).build()).build();
    }

    /**
     * Purges finished jobs through the engine's retention job: {@code {"states": [...], "olderThanMinutes": n,
     * "queue": "..."}} (states default to every finished state, queue to all). Answers 202 with the retention job,
     * whose result says how many rows of each state were deleted.
     */
    @POST
    @Path("purge")
    @Operation(summary = "Purge finished jobs", description = "Submits the retention job (dukequeue.retention) for the"
            + " given finished states older than olderThanMinutes, optionally one queue; follow the returned job for"
            + " its result {deleted: {STATE: n}, total}")
    @RequestBody(content = @Content(mediaType = "application/json", example = "{\"states\":[\"COMPLETED\"],"
            + "\"olderThanMinutes\":1440,\"queue\":\"billing\"}"))
    @APIResponse(responseCode = "202", description = "The retention job was submitted",
            content = @Content(mediaType = "application/json", example = "{\"id\":\"...\",\"state\":\"SCHEDULED\","
                    + "\"created\":true}"))
    @APIResponse(ref = "BadRequest")
    public Response purge(String body) {
        JobRequestJson.PurgeRequest purge = JobRequestJson.readPurge(JobRequestJson.parseObject(body));
        jakarta.json.JsonObjectBuilder ages = Jsons.JSON.createObjectBuilder();
        purge.states().forEach(state -> ages.add(state, purge.olderThanMinutes() * 60_000));
        jakarta.json.JsonObjectBuilder payload = Jsons.JSON.createObjectBuilder().add("olderThanMs", ages);
        if (purge.queue() != null) {
            payload.add("queue", purge.queue());
        }
        JobReceipt receipt = queue.submit(JobRequest.builder(dev.dukequeue.engine.retention.RetentionHandler.TYPE)
                .queue("dukequeue").maxAttempts(3).payloadJson(payload.build().toString()).build());
        return Response.accepted(JobJson.receipt(receipt))
                .location(uri.getBaseUriBuilder().path("jobs").path(receipt.id().toString()).build()).build();
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a job", description = "PENDING and SCHEDULED jobs at once; a RUNNING job's handler is"
            + " asked to stop and its late result is discarded; jobs that wait on it are cancelled too")
    @APIResponse(responseCode = "200", description = "The job, CANCELLED")
    @APIResponse(ref = "NotFound")
    @APIResponse(ref = "Conflict")
    public Response cancel(@PathParam("id") String id) {
        return Response.ok(JobJson.job(queue.cancel(jobId(id)))).build();
    }

    @POST
    @Path("{id}/retry")
    @Operation(summary = "Re-drive a FAILED or DEAD_LETTER job", description = "A fresh budget of attempts, due now")
    @APIResponse(responseCode = "200", description = "The job, SCHEDULED (or PENDING while it waits for dependencies)")
    @APIResponse(ref = "NotFound")
    @APIResponse(ref = "Conflict")
    public Response retry(@PathParam("id") String id) {
        return Response.ok(JobJson.job(queue.retry(jobId(id)))).build();
    }

    /** The longest {@code type} filter: a job type's own bound. */
    public static final int MAX_TYPE_FILTER_CHARS = 128;
    /** The longest {@code text} filter: the idempotency key's bound. */
    public static final int MAX_TEXT_FILTER_CHARS = 200;

    private static void requireLength(String name, String value, int max) {
        if (value != null && value.length() > max) {
            throw new BadRequestException("invalid_parameter", name, name + " must be at most " + max + " characters");
        }
    }

    /** @return a page size from 1 to {@code max}; {@code fallback} when the request gives none */
    private static int limitParam(String value, int fallback, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int size;
        try {
            size = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            size = -1; // not a number, or beyond the int range: both refused below
        }
        if (size < 1 || size > max) {
            throw new BadRequestException("invalid_parameter", "limit", "limit must be an integer between 1 and " + max);
        }
        return size;
    }

    /** @return the instant of a filter, within the {@link InstantWindow} (outside it a JDBC timestamp overflows) */
    private static java.time.Instant instantParam(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        java.time.Instant at;
        try {
            at = java.time.Instant.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new BadRequestException("invalid_parameter", name, name + " must be an ISO-8601 instant such as"
                    + " 2030-01-31T12:00:00Z");
        }
        if (!InstantWindow.contains(at)) {
            throw new BadRequestException("invalid_parameter", name, name + " " + InstantWindow.RULE);
        }
        return at;
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
