package dev.dukequeue.web.rest.dto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import dev.dukequeue.engine.read.AttemptPage;
import dev.dukequeue.engine.read.AttemptView;
import dev.dukequeue.engine.read.JobPage;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobJsonTest {

    private static JobView job(String payload, String result, String checkpoint) {
        return new JobView(JobId.random(), "t", "q", JobState.COMPLETED, 2, 1, 5, Instant.EPOCH, null, null, null,
                payload, result, null, null, null, List.of(), 0, null, checkpoint, null, null, null);
    }

    private static String textOf(int chars) {
        return "\"" + "x".repeat(chars - 2) + "\""; // a JSON string of exactly `chars` characters
    }

    @Test
    void aListingCarriesValuesUpToTheBoundWholeAndLeavesLongerOnesOutWithAFlag() {
        String atBound = textOf(JobJson.LISTED_VALUE_MAX_CHARS);
        String past = textOf(JobJson.LISTED_VALUE_MAX_CHARS + 1);
        JsonObject page = JobJson.page(new JobPage(List.of(job(atBound, past, past), job("{\"a\":1}", null, null)),
                null));
        JsonObject first = page.getJsonArray("items").getJsonObject(0);
        assertThat(first.getString("payload")).hasSize(JobJson.LISTED_VALUE_MAX_CHARS - 2);
        assertThat(first.getBoolean("payloadTruncated")).isFalse();
        assertThat(first.isNull("result")).isTrue();
        assertThat(first.getBoolean("resultTruncated")).isTrue();
        assertThat(first.isNull("checkpoint")).isTrue();
        assertThat(first.getBoolean("checkpointTruncated")).isTrue();
        JsonObject second = page.getJsonArray("items").getJsonObject(1);
        assertThat(second.getJsonObject("payload").getInt("a")).isEqualTo(1);
        assertThat(second.isNull("result")).isTrue();
        assertThat(second.getBoolean("resultTruncated")).isFalse();
    }

    @Test
    void oneJobIsWholeWithoutFlags() {
        String big = textOf(100_000);
        JsonObject one = JobJson.job(job(big, big, big));
        assertThat(one.getString("payload")).hasSize(100_000 - 2);
        assertThat(one.getString("result")).hasSize(100_000 - 2);
        assertThat(one.getString("checkpoint")).hasSize(100_000 - 2);
        assertThat(one).doesNotContainKeys("payloadTruncated", "resultTruncated", "checkpointTruncated");
    }

    private static AttemptView attempt(int run, String trace) {
        return new AttemptView(run, run, "node", Instant.EPOCH, Instant.EPOCH, "FAILED", "TEMPORARY", "boom", trace);
    }

    @Test
    void stackTracesAreCutAtTheBoundWithAFlagAndThePageHasItsCursor() {
        String atBound = "s".repeat(JobJson.STACK_TRACE_MAX_CHARS);
        JsonObject page = JobJson.attempts(new AttemptPage(List.of(attempt(1, atBound), attempt(2, atBound + "t"),
                attempt(3, null)), "3"));
        List<JsonObject> items = page.getJsonArray("items").getValuesAs(JsonObject.class);
        assertThat(items.get(0).getString("stackTrace")).isEqualTo(atBound);
        assertThat(items.get(0).getBoolean("stackTraceTruncated")).isFalse();
        assertThat(items.get(1).getString("stackTrace")).isEqualTo(atBound);
        assertThat(items.get(1).getBoolean("stackTraceTruncated")).isTrue();
        assertThat(items.get(2).isNull("stackTrace")).isTrue();
        assertThat(page.getString("nextCursor")).isEqualTo("3");
        assertThat(JobJson.attempts(new AttemptPage(List.of(), null)).isNull("nextCursor")).isTrue();
    }
}
