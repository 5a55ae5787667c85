package dev.dukequeue.engine.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobRequest;
import dev.dukequeue.PayloadTooLargeException;
import dev.dukequeue.engine.config.TestEngineConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks every submission (and every recurring job's template) gets before anything is written. */
class SubmissionRulesTest {

    private static final int MAX_BYTES = 100;
    private final SubmissionRules rules = new SubmissionRules(TestEngineConfig.with(Map.of(
            "dukequeue.payload.max.bytes", String.valueOf(MAX_BYTES), "dukequeue.submit.batch.max", "3")));

    /** @return a payload of exactly {@code bytes} UTF-8 bytes */
    private static String payloadOf(int bytes) {
        return "{\"x\":\"" + "a".repeat(bytes - 8) + "\"}";
    }

    private static JobRequest job(String payload) {
        return JobRequest.builder("t").payloadJson(payload).build();
    }

    @Test
    void aPayloadAtTheLimitIsAcceptedAndOneBytePastItIsRefusedNamingTheField() {
        assertThat(rules.check(List.of(job(payloadOf(MAX_BYTES))))).containsExactly(0);

        assertThatThrownBy(() -> rules.check(List.of(job(payloadOf(MAX_BYTES + 1)))))
                .isInstanceOfSatisfying(PayloadTooLargeException.class, e -> {
                    assertThat(e.field()).isEqualTo("payload");
                    assertThat(e.rule()).isEqualTo("must be at most 100 bytes (UTF-8), got 101");
                });
        assertThatThrownBy(() -> rules.check(List.of(job("{}"), job(payloadOf(MAX_BYTES + 1)))))
                .isInstanceOfSatisfying(PayloadTooLargeException.class,
                        e -> assertThat(e.field()).isEqualTo("jobs[1].payload"));
    }

    @Test
    void aBatchAtTheLimitIsAcceptedAndPastItOrEmptyOrWithAMissingJobIsRefused() {
        assertThat(rules.check(List.of(job("{}"), job("{}"), job("{}")))).containsExactly(0, 1, 2);

        assertThatThrownBy(() -> rules.check(List.of(job("{}"), job("{}"), job("{}"), job("{}"))))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("jobs");
                    assertThat(e.rule()).isEqualTo("must contain at most 3 jobs, got 4");
                });
        assertThatThrownBy(() -> rules.check(List.of())).isInstanceOfSatisfying(InvalidJobRequestException.class,
                e -> assertThat(e.field()).isEqualTo("jobs"));
        List<JobRequest> withNull = new ArrayList<>(List.of(job("{}")));
        withNull.add(null);
        assertThatThrownBy(() -> rules.check(withNull)).isInstanceOfSatisfying(InvalidJobRequestException.class,
                e -> assertThat(e.field()).isEqualTo("jobs[1]"));
        assertThatThrownBy(() -> rules.check(Collections.singletonList(null)))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("request"));
    }
}
