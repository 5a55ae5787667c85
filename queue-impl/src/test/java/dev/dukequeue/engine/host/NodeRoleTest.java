package dev.dukequeue.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobId;
import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.config.EngineJobs;
import dev.dukequeue.engine.config.MapConfig;
import dev.dukequeue.engine.node.EngineStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines in one JVM on one database under one node name, as an admin WAR next to the resource adapter in one
 * server: an admin node ({@code dukequeue.node.role=admin}) runs nothing and reclaims nothing, and a second engine
 * that would run jobs under the name is refused. Executions are counted by each engine's own handlers, leases read
 * from the table.
 */
class NodeRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NAME = "role-test";

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final List<TestHost> hosts = new ArrayList<>();
    private final List<StandaloneEngine> engines = new ArrayList<>();

    NodeRoleTest() {
        h2.setURL("jdbc:h2:mem:roles-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        h2.setUser("sa");
    }

    /** Builds and starts an engine named {@link #NAME} with the given extra settings; does not wait. */
    private StandaloneEngine engine(TestHandlers handlers, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("dukequeue.node.name", NAME,
                "dukequeue.poll.interval.ms", "50", "dukequeue.rescuer.interval.ms", "200", "dukequeue.workers", "2"));
        all.putAll(settings);
        TestHost host = new TestHost();
        hosts.add(host);
        StandaloneEngine engine = StandaloneEngine.create(host, h2, new MapConfig(all), handlers);
        engines.add(engine);
        engine.start();
        return engine;
    }

    @AfterEach
    void stop() {
        for (int i = engines.size() - 1; i >= 0; i--) {
            engines.get(i).shutdown("test over");
        }
        hosts.forEach(TestHost::close);
    }

    @Test
    void anAdminNodeOfTheWorkersNameReclaimsNoneOfItsJobsRunsOnlyTheEnginesOwnAndItsSubmissionsRunOnTheWorker() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch slowMayEnd = new CountDownLatch(1);
        TestHandlers workerHandlers = new TestHandlers().with("slow", (context, lease) -> {
            slowStarted.countDown();
            slowMayEnd.await(1, TimeUnit.MINUTES);
            return "\"slow\"";
        }).with("greet", (context, lease) -> "\"hi\"");
        StandaloneEngine worker = engine(workerHandlers, Map.of());
        await().atMost(WAIT).until(worker::ready);
        JobId slow = worker.jobQueue().submit(JobRequest.builder("slow").payloadJson("{}").build()).id();
        assertThat(slowStarted.await(20, TimeUnit.SECONDS)).isTrue();
        String workerLease = text("SELECT lease_owner FROM dq_job WHERE id = ?", slow);

        // The admin node has handlers of the same types: it must run none of them.
        TestHandlers adminHandlers = new TestHandlers().with("slow", (context, lease) -> "\"admin\"")
                .with("greet", (context, lease) -> "\"admin\"")
                .with(EngineJobs.RETENTION, (context, lease) -> "\"purged\"");
        StandaloneEngine admin = engine(adminHandlers, Map.of("dukequeue.node.role", "admin"));
        await().atMost(WAIT).until(admin::ready);

        assertThat(admin.status().reason()).contains("admin node");
        assertThat(state(slow)).as("not reclaimed by the admin node's start-up").isEqualTo("RUNNING");
        assertThat(text("SELECT lease_owner FROM dq_job WHERE id = ?", slow)).isEqualTo(workerLease);
        List<JobId> greetings = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            greetings.add(admin.jobQueue().submit(JobRequest.builder("greet").payloadJson("{}").build()).id());
        }
        await().atMost(WAIT).until(() -> greetings.stream().allMatch(id -> state(id).equals("COMPLETED")));
        assertThat(adminHandlers.invocations).as("the admin node ran no application's job").isEmpty();
        JobId purge = admin.jobQueue().submit(JobRequest.builder(EngineJobs.RETENTION).payloadJson("{}").build()).id();
        await().atMost(WAIT).until(() -> state(purge).equals("COMPLETED"));
        assertThat(adminHandlers.invocations).as("but the engine's own").containsExactly(EngineJobs.RETENTION + " 1");
        assertThat(workerHandlers.invocations("greet")).isEqualTo(5);
        assertThat(rows("SELECT CAST(workers AS VARCHAR) FROM dq_node WHERE name = ? AND phase = 'RUNNING'"
                + " ORDER BY workers", NAME)).as("two rows of one name: the admin's with no workers")
                .containsExactly("0", "2");

        slowMayEnd.countDown();
        await().atMost(WAIT).until(() -> state(slow).equals("COMPLETED"));
        assertThat(rows("SELECT outcome FROM dq_attempt_history WHERE job_id = ?", slow.toString())).containsExactly("SUCCEEDED");
        assertThat(workerHandlers.invocations("slow")).isEqualTo(1);
    }

    @Test
    void aSecondEngineThatWouldRunJobsUnderTheSameNameIsRefusedAndTheNameIsFreeAgainAfterShutdown() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch mayEnd = new CountDownLatch(1);
        TestHandlers first = new TestHandlers().with("slow", (context, lease) -> {
            started.countDown();
            mayEnd.await(1, TimeUnit.MINUTES);
            return "\"slow\"";
        });
        StandaloneEngine worker = engine(first, Map.of());
        await().atMost(WAIT).until(worker::ready);
        JobId slow = worker.jobQueue().submit(JobRequest.builder("slow").payloadJson("{}").build()).id();
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

        TestHandlers second = new TestHandlers().with("slow", (context, lease) -> "\"second\"");
        StandaloneEngine twin = engine(second, Map.of());

        await().atMost(WAIT).until(() -> twin.status().phase() == EngineStatus.Phase.FAILED);
        assertThat(twin.status().reason()).contains("another DukeQueue engine runs jobs as node '" + NAME + "'")
                .contains("dukequeue.node.role=admin");
        assertThat(state(slow)).as("the refused engine reclaimed nothing").isEqualTo("RUNNING");
        assertThat(second.invocations).isEmpty();

        mayEnd.countDown();
        await().atMost(WAIT).until(() -> state(slow).equals("COMPLETED"));
        twin.shutdown("refused");
        worker.shutdown("done");
        StandaloneEngine next = engine(new TestHandlers(), Map.of());
        await().atMost(WAIT).until(next::ready);
    }

    @Test
    void aRoleOtherThanWorkerOrAdminIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> StandaloneEngine.create(new TestHost(), h2,
                new MapConfig(Map.of("dukequeue.node.role", "boss")), new TestHandlers()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dukequeue.node.role must be worker or admin, got 'boss'");
    }

    private String state(JobId id) {
        return text("SELECT state FROM dq_job WHERE id = ?", id);
    }

    private String text(String sql, JobId id) {
        List<String> rows = rows(sql, id.toString());
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private List<String> rows(String sql, String param) {
        try (Connection c = h2.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
