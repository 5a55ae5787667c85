package dev.dukequeue.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.JobRequest;
import dev.dukequeue.PayloadTooLargeException;
import dev.dukequeue.RecurringJob;
import dev.dukequeue.engine.config.TestEngineConfig;
import dev.dukequeue.engine.submit.RecurringSubmissions;
import dev.dukequeue.engine.submit.SubmissionRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A recurring job is held to the submission rules when it is registered (at start-up for the ones in code and
 * configuration): a template a submission would refuse stops the start-up, naming the job and the rule, before
 * anything reaches the database (this test has none: reaching it would fail otherwise).
 */
class RecurringRegistrationTest {

    @Test
    void aTemplateWhosePayloadASubmissionWouldRefuseFailsTheRegistrationNamingTheJobAndTheRule() {
        RecurringJobs recurring = new RecurringJobs();
        recurring.admission = new RecurringSubmissions(
                new SubmissionRules(TestEngineConfig.with(Map.of("dukequeue.payload.max.bytes", "16"))), null);
        RecurringJob job = RecurringJob.of("nightly-report", "@daily",
                JobRequest.builder("report").payloadJson("{\"x\":\"" + "a".repeat(9) + "\"}").build());

        assertThatThrownBy(() -> recurring.define(job))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recurring job 'nightly-report': job.payload must be at most 16 bytes (UTF-8), got 17")
                .hasCauseInstanceOf(PayloadTooLargeException.class);
        assertThat(recurring.definitions()).isEmpty();
    }
}
