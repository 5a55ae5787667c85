package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobId;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobView;
import dev.dukequeue.RecurringJob;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.read.JobFilter;
import dev.dukequeue.engine.read.JobSearch;
import dev.dukequeue.engine.schedule.RecurringJobs;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recurring jobs go through the same submission rules as {@link JobQueue#submit}: a full queue is not written into,
 * and a template a submission would refuse fails its registration. Runs in the server; subclasses pick the database.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class RecurringBehaviour {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Deployments allow 2 waiting jobs in this queue. */
    private static final String TINY = "tiny";
    /** Deployments allow payloads of at most this many bytes. */
    private static final int PAYLOAD_MAX = 65536;
    /** A cron expression that never comes due during a test run. */
    private static final String YEARLY = "0 0 1 1 *";

    @Inject
    JobQueue queue;

    @Inject
    JobSearch search;

    @Inject
    JdbcJobStore store;

    @Inject
    RecurringJobs recurring;

    @Inject
    EngineMetrics metrics;

    @Inject
    MetricRegistry registry;

    private static String name(String what) {
        return "it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<JobView> jobsOf(String name) {
        return search.list(new JobFilter(null, null, TINY), 100, null).items().stream()
                .filter(j -> j.idempotencyKey() != null && j.idempotencyKey().startsWith("recurring:" + name + ":"))
                .toList();
    }

    private long refusedInstants(String name) {
        return registry.counter("dukequeue_recurring_refused", new Tag("schedule", name)).getCount();
    }

    @Test
    void aRecurringJobIntoAFullQueueWritesNoJobCountsAndLogsTheRefusalAndFiresAgainOnceThereIsRoom() {
        String name = name("full");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
                // nothing buffered
            }

            @Override
            public void close() {
                // nothing held
            }
        };
        Logger engine = Logger.getLogger("dev.dukequeue.engine");
        queue.pause(TINY); // the jobs keep waiting
        List<JobId> fillers = new ArrayList<>();
        engine.addHandler(capture);
        try {
            fillers.add(queue.submit(JobRequest.builder("test.count").queue(TINY).build()).id());
            fillers.add(queue.submit(JobRequest.builder("test.count").queue(TINY).build()).id());
            long refusedBefore = metrics.rejectedCount(TINY);
            recurring.define(RecurringJob.of(name, "* * * * * *", JobRequest.builder("test.count").queue(TINY).build()));

            await().atMost(PATIENCE).until(() -> metrics.rejectedCount(TINY) >= refusedBefore + 2);
            assertThat(jobsOf(name)).as("a full queue is not written into").isEmpty();
            assertThat(refusedInstants(name)).as("dukequeue_recurring_refused_total").isGreaterThanOrEqualTo(2);
            assertThat(warnings).as("each refusal is logged, naming the schedule, the instant and the limit")
                    .anySatisfy(r -> assertThat(r.getMessage()).contains("'" + name + "'").contains("queue '" + TINY + "'")
                            .contains("limit 2").containsPattern("\\d{4}-\\d\\d-\\d\\dT"));

            queue.cancel(fillers.get(0)); // room for one
            await().atMost(PATIENCE).until(() -> !jobsOf(name).isEmpty());
            List<JobView> fired = jobsOf(name);
            assertThat(fired).as("one fits; the queue is full again after it").hasSize(1);
            assertThat(store.schedules()).filteredOn(s -> s.name().equals(name)).singleElement()
                    .satisfies(s -> assertThat(s.lastJobId()).isEqualTo(fired.get(0).id().toString()));
        } finally {
            engine.removeHandler(capture);
            recurring.remove(name);
            search.list(new JobFilter(null, null, TINY), 100, null).items().stream()
                    .filter(j -> !j.state().isTerminal()).forEach(j -> queue.cancel(j.id()));
            queue.resume(TINY);
        }
    }

    @Test
    void aRecurringJobWhosePayloadASubmissionWouldRefuseFailsItsRegistrationNamingTheJobAndTheRule() {
        String name = name("oversized");
        String tooBig = "{\"x\":\"" + "a".repeat(PAYLOAD_MAX + 1 - 8) + "\"}";

        assertThatThrownBy(() -> recurring.define(RecurringJob.of(name, YEARLY,
                JobRequest.builder("test.count").payloadJson(tooBig).build())))
                .satisfies(e -> assertThat(registrationError(e))
                        .hasMessageContaining("recurring job '" + name + "'")
                        .hasMessageContaining("payload must be at most " + PAYLOAD_MAX + " bytes"));
        assertThat(recurring.definitions()).doesNotContainKey(name);
        assertThat(store.schedules()).as("nothing registered").noneMatch(s -> s.name().equals(name));

        String atTheLimit = "{\"x\":\"" + "a".repeat(PAYLOAD_MAX - 8) + "\"}";
        String fits = name("at-limit");
        recurring.define(RecurringJob.of(fits, YEARLY, JobRequest.builder("test.count").payloadJson(atTheLimit).build()));
        try {
            assertThat(recurring.definitions()).containsKey(fits);
        } finally {
            recurring.remove(fits);
        }
    }

    /** @return the IllegalArgumentException in the chain (an EJB wraps what its method throws in an EJBException) */
    private static Throwable registrationError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t;
            }
        }
        throw new AssertionError("no IllegalArgumentException in the chain", e);
    }
}
