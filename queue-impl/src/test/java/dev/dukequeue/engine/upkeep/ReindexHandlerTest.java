package dev.dukequeue.engine.upkeep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.PermanentJobException;
import dev.dukequeue.engine.config.ReindexConfig;
import dev.dukequeue.engine.store.IndexPolicy;
import dev.dukequeue.engine.store.IndexReport;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reindex job's payload, result and settings, with their bounds (the SQL: IndexUpkeepPostgresTest). */
class ReindexHandlerTest {

    @Test
    void thePayloadIsEmptyOrADryRunFlagAndNothingElse() {
        assertThat(ReindexHandler.dryRun(null)).isFalse();
        assertThat(ReindexHandler.dryRun(Json.createObjectBuilder().build())).isFalse();
        assertThat(ReindexHandler.dryRun(json("{\"dryRun\": false}"))).isFalse();
        assertThat(ReindexHandler.dryRun(json("{\"dryRun\": true}"))).isTrue();
        assertThatThrownBy(() -> ReindexHandler.dryRun(json("{\"dryRun\": \"yes\"}")))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("dryRun must be true or false");
        assertThatThrownBy(() -> ReindexHandler.dryRun(json("{\"index\": \"dq_job_pk\"}")))
                .isInstanceOf(PermanentJobException.class).hasMessageContaining("'index' is unknown");
    }

    @Test
    void theResultListsEachIndexWithItsRatioAndWhatWasRebuilt() {
        IndexPolicy policy = new IndexPolicy(2.0, 1024, Duration.ofMinutes(1), false);
        IndexReport report = new IndexReport(null, List.of("public.dq_job_claim_ix_ccnew"),
                List.of(new IndexReport.IndexSize("public.dq_job_pk", 30_000, 10_000),
                        new IndexReport.IndexSize("public.dq_job_seq_ix", 15_000, 10_000),
                        new IndexReport.IndexSize("public.dq_attempt_pk", 900_000, -1)),
                List.of(new IndexReport.Rebuild("public.dq_job_pk", 30_000, 9_000, 12)));

        JsonObject result = ReindexHandler.result(report, policy);

        assertThat(result.getJsonArray("indexes").getJsonObject(0).getBoolean("bloated")).isTrue();
        assertThat(result.getJsonArray("indexes").getJsonObject(0).getJsonNumber("bloat").doubleValue()).isEqualTo(3.0);
        assertThat(result.getJsonArray("indexes").getJsonObject(1).getBoolean("bloated")).as("1.5 <= 2").isFalse();
        assertThat(result.getJsonArray("indexes").getJsonObject(2).getBoolean("bloated")).as("no estimate").isFalse();
        assertThat(result.getJsonArray("rebuilt").getJsonObject(0).getJsonNumber("bytesAfter").longValue())
                .isEqualTo(9_000);
        assertThat(result.getJsonArray("leftoversDropped").getString(0)).isEqualTo("public.dq_job_claim_ix_ccnew");
        assertThat(result.containsKey("skipped")).isFalse();
    }

    @Test
    void aSmallIndexIsLeftAloneWhateverItsRatio() {
        IndexPolicy policy = new IndexPolicy(2.0, 8L << 20, Duration.ofMinutes(1), false);
        assertThat(policy.isBloated(new IndexReport.IndexSize("small", (8L << 20) - 1, 16_384))).isFalse();
        assertThat(policy.isBloated(new IndexReport.IndexSize("large", 8L << 20, 16_384))).isTrue();
    }

    @Test
    void eachSettingIsCheckedAtAndPastItsBounds() {
        Duration minute = Duration.ofMinutes(1);
        new ReindexConfig(true, "0 5/10 * * * *", ReindexConfig.MIN_BLOAT, 1, ReindexConfig.MIN_WAIT);
        new ReindexConfig(true, "0 5/10 * * * *", ReindexConfig.MAX_BLOAT, ReindexConfig.MAX_MIN_SIZE_MB,
                ReindexConfig.MAX_WAIT);
        assertThatThrownBy(() -> new ReindexConfig(true, "x", 1.19, 8, minute))
                .hasMessage("dukequeue.reindex.bloat must be between 1.2 and 100.0, got 1.19");
        assertThatThrownBy(() -> new ReindexConfig(true, "x", 100.01, 8, minute))
                .hasMessageStartingWith("dukequeue.reindex.bloat must be between");
        assertThatThrownBy(() -> new ReindexConfig(true, "x", Double.NaN, 8, minute))
                .hasMessageStartingWith("dukequeue.reindex.bloat must be between");
        assertThatThrownBy(() -> new ReindexConfig(true, "x", 2, 0, minute))
                .hasMessage("dukequeue.reindex.min-size.mb must be between 1 and 1048576, got 0");
        assertThatThrownBy(() -> new ReindexConfig(true, "x", 2, ReindexConfig.MAX_MIN_SIZE_MB + 1, minute))
                .hasMessageStartingWith("dukequeue.reindex.min-size.mb must be between");
        assertThatThrownBy(() -> new ReindexConfig(true, "x", 2, 8, Duration.ofMillis(999)))
                .hasMessage("dukequeue.reindex.max-wait must be between PT1S and PT1H, got PT0.999S");
        assertThatThrownBy(() -> new ReindexConfig(true, "x", 2, 8, ReindexConfig.MAX_WAIT.plusMillis(1)))
                .hasMessageStartingWith("dukequeue.reindex.max-wait must be between");
        assertThat(new ReindexConfig(true, "x", 2, 8, minute).minBytes()).isEqualTo(8L * 1024 * 1024);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new java.io.StringReader(text)).readObject();
    }
}
