package dev.dukequeue.engine.dispatch;

import dev.dukequeue.engine.job.ClaimedJob;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/**
 * A claimed job whose row cannot be what DukeQueue wrote (playbook scenario 3, corrupt data): its payload or its
 * checkpoint is not one JSON value, or its timeout is not positive. Every write path of the engine checks these
 * (the API, {@code JobQueue.submit}, a handler's checkpoint), so such a row came from outside (SQL by hand, a restore,
 * storage that returned bad data). Retrying cannot repair it: the job fails at once with category SYSTEM, counted in
 * {@code dukequeue_corrupt_jobs_total}, and its handler is never called with it; every other job goes on.
 */
final class CorruptJobException extends RuntimeException {

    CorruptJobException(String message) {
        super(message, null, false, false); // the message says it all; no stack trace to store
    }

    /**
     * Checks what the worker is about to hand to the handler, on the worker's thread (a streaming parse, no tree).
     *
     * @throws CorruptJobException naming the column and what is wrong with it
     */
    static void check(ClaimedJob job) {
        if (job.timeoutMs() <= 0) {
            throw new CorruptJobException("corrupt job row: timeout_ms must be positive, got " + job.timeoutMs());
        }
        json("payload", job.payloadJson());
        if (job.checkpointJson() != null) {
            json("checkpoint_data", job.checkpointJson());
        }
    }

    private static void json(String column, String text) {
        if (text == null) {
            throw new CorruptJobException("corrupt job row: " + column + " is NULL");
        }
        try (JsonParser parser = HandlerRegistry.JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new CorruptJobException("corrupt job row: " + column + " is empty, not JSON");
            }
            // One value, then the end of the text: hasNext() after the top-level value throws on anything else.
            while (parser.hasNext()) {
                parser.next();
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw new CorruptJobException("corrupt job row: " + column + " is not JSON (" + e.getMessage() + ")");
        }
    }
}
