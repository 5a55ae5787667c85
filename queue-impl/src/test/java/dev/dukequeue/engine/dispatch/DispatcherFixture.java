package dev.dukequeue.engine.dispatch;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobId;
import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.config.TestEngineConfig;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.database.SchemaMigrator;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real {@link Dispatcher} on a real (H2) database and store, with stand-ins only for the container: handlers given
 * as functions, metrics that count what they are told, a plain thread factory a test may replace, and a database
 * guard without fault-tolerance interceptors. What it proves is the dispatcher's own behaviour with the real SQL.
 */
final class DispatcherFixture implements AutoCloseable {

    /** A handler as a function of its context. */
    @FunctionalInterface
    interface Handler {
        Object handle(JobContext context) throws Exception;
    }

    final JdbcDataSource h2 = new JdbcDataSource();
    final JdbcJobStore store;
    final Dispatcher dispatcher = new Dispatcher();
    final CountingMetrics metrics = new CountingMetrics();
    private final Map<String, Handler> handlers;
    /** Makes every thread of the dispatcher; a test may replace it before {@link Dispatcher#start()}. */
    volatile Function<Runnable, Thread> threads = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    /**
     * @param settings dukequeue.* settings over the test defaults
     * @param store    makes the store from the database (a test may override some of its methods)
     * @param handlers the handlers by job type
     */
    DispatcherFixture(Map<String, String> settings, Function<DataSource, JdbcJobStore> store,
            Map<String, Handler> handlers) throws SQLException {
        h2.setURL("jdbc:h2:mem:dispatcher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        h2.setUser("sa");
        new SchemaMigrator(h2).migrate();
        this.store = store.apply(h2);
        this.handlers = Map.copyOf(handlers);
        dispatcher.store = this.store;
        dispatcher.dataSource = h2;
        dispatcher.config = TestEngineConfig.with(settings);
        dispatcher.registry = new Registry();
        dispatcher.metrics = metrics;
        dispatcher.database = new DatabaseGuard() {
            @Override
            public <T> T call(String what, Callable<T> operation) {
                try {
                    return operation.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        dispatcher.node = new NodeIdentity() {
            @Override
            public String owner() {
                return "node-a#1";
            }
        };
        dispatcher.status = new EngineStatus();
        dispatcher.threadFactory = new ManagedThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                return threads.apply(r);
            }

            @Override
            public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
                throw new UnsupportedOperationException();
            }
        };
    }

    JobId submit(String type) {
        return submit(type, "{}");
    }

    JobId submit(String type, String payloadJson) {
        return store.insert(List.of(JobRequest.builder(type).payloadJson(payloadJson).build())).get(0).id();
    }

    /** @return the first column of the first row, as text */
    String text(String sql, JobId id) {
        try (Connection c = h2.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs one statement on the database behind the store's back (as an operator or a broken disk would). */
    int update(String sql, Object... params) {
        try (Connection c = h2.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    String state(JobId id) {
        return text("SELECT state FROM dq_job WHERE id = ?", id);
    }

    @Override
    public void close() {
        dispatcher.close();
    }

    private final class Registry extends HandlerRegistry {
        @Override
        public Set<String> types() {
            return handlers.keySet();
        }

        @Override
        Object invoke(JobContext context) throws Exception {
            Handler handler = handlers.get(context.type());
            if (handler == null) {
                throw new dev.dukequeue.PermanentJobException("no handler for job type '" + context.type() + "'");
            }
            return handler.handle(context);
        }
    }

    /** Counts what the dispatcher reports, by metric and queue ("failed" also by category: "failed:SYSTEM"). */
    static final class CountingMetrics extends EngineMetrics {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        long count(String what) {
            AtomicLong n = counts.get(what);
            return n == null ? 0 : n.get();
        }

        private void add(String what) {
            counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void claimed(String queue, long waitMs) {
            add("claimed");
        }

        @Override
        public void launchFailed(String queue) {
            add("launchFailed");
        }

        @Override
        public void executed(String queue, Duration took) {
            add("executed");
        }

        @Override
        public void completed(String queue) {
            add("completed");
        }

        @Override
        public void failed(String queue, ErrorCategory category, boolean retried, boolean dead) {
            add("failed");
            add("failed:" + category);
        }

        @Override
        public void corrupt(String queue) {
            add("corrupt");
        }
    }
}
