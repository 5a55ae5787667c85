package dev.dukequeue.engine.schedule;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobRequest;
import dev.dukequeue.RecurringJob;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.FiredJob;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.ScheduleDefinition;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Recurring jobs: collects the definitions (CDI beans of type {@link RecurringJob} and the configuration), registers
 * them in dq_schedule, and fires the due ones from a non-persistent EJB timer on every node. The database decides:
 * a schedule is fired under its row lock with {@code SKIP LOCKED}, so one node fires each instant, and each instant's
 * job carries the idempotency key {@code recurring:<name>:<instant>}, so even a race could not enqueue it twice. The
 * next run is stored, never kept in memory: instants that passed while every node was down are enqueued when the
 * first node comes back.
 *
 * <p>Recurring jobs are held to the submission rules: a template a submission would refuse fails its registration (and
 * so the start-up), and an instant whose queue is full is not written: the schedule moves past it, and it is logged
 * and counted as refused ({@link RecurringAdmission}, implemented by the submission path).
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RecurringJobs {

    private static final Logger LOG = Logger.getLogger(RecurringJobs.class.getName());
    /** Most instants of one schedule enqueued per firing (a long outage is caught up over several firings). */
    private static final int CATCH_UP = 100;
    /** The recurring job that runs retention ({@code dukequeue.retention.*}). */
    public static final String RETENTION = "dukequeue-retention";
    /** The recurring job that runs the index upkeep ({@code dukequeue.reindex.*}, PostgreSQL only). */
    public static final String REINDEX = "dukequeue-reindex";

    @Resource
    TimerService timerService;

    @Inject
    @Any
    Instance<RecurringJob> beans;

    @Inject
    JdbcJobStore store;

    @Inject
    DatabaseGuard database;

    @Inject
    Dispatcher dispatcher;

    @Inject
    EngineConfig config;

    @Inject
    dev.dukequeue.engine.config.ReindexConfig reindex;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    /** The submission path's rules and backpressure ({@code submit.RecurringSubmissions}). */
    @Inject
    RecurringAdmission admission;

    private final Map<String, Entry> definitions = new ConcurrentHashMap<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong firedTotal = new AtomicLong();
    private volatile Timer timer;

    /** A definition with its parsed expression. */
    private record Entry(RecurringJob job, CronExpression cron, ScheduleDefinition definition) {
    }

    /**
     * Reads and registers every definition, then starts firing. Called once by the engine's start-up.
     *
     * @throws IllegalArgumentException naming the schedule and the rule if a definition is invalid
     */
    public void start() {
        List<RecurringJob> found = new ArrayList<>();
        for (RecurringJob job : beans) {
            found.add(job);
        }
        found.addAll(fromConfiguration(ConfigProvider.getConfig(RecurringJobs.class.getClassLoader())));
        if (config.retentionEnabled()) {
            found.add(RecurringJob.of(RETENTION, config.retentionCron(), JobRequest.builder(
                    dev.dukequeue.engine.retention.RetentionHandler.TYPE).queue("dukequeue").maxAttempts(3)
                    .timeout(Duration.ofHours(2)).build()).withoutCatchUp());
        }
        if (reindex.enabled() && database.call("detecting the database", () -> store.dialect())
                == dev.dukequeue.engine.database.SqlDialect.POSTGRESQL) {
            found.add(RecurringJob.of(REINDEX, reindex.cron(), JobRequest.builder(
                    dev.dukequeue.engine.config.EngineJobs.REINDEX).queue("dukequeue").maxAttempts(3)
                    .timeout(Duration.ofHours(2)).build()).withoutCatchUp());
        }
        for (RecurringJob job : found) {
            if (definitions.containsKey(job.name())) {
                throw new IllegalArgumentException("recurring job '" + job.name() + "' is defined twice");
            }
            define(job);
        }
        long interval = config.recurringInterval().toMillis();
        timer = timerService.createIntervalTimer(interval, interval, new TimerConfig("dukequeue-recurring", false));
    }

    /** Stops firing (shutdown). */
    public void stop() {
        Timer t = timer;
        timer = null;
        if (t != null) {
            try {
                t.cancel();
            } catch (RuntimeException e) {
                LOG.fine(() -> "recurring timer already gone: " + e);
            }
        }
    }

    /**
     * Adds or replaces a recurring job on this node (definitions from code and configuration are added at start-up).
     *
     * @throws IllegalArgumentException naming the job and the rule if its cron expression is invalid or a submission
     *                                  of its job would be refused (payload size: {@link RecurringAdmission#check})
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void define(RecurringJob job) {
        CronExpression cron;
        try {
            cron = CronExpression.parse(job.cron());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("recurring job '" + job.name() + "': " + e.getMessage(), e);
        }
        try {
            admission.check(job.job());
        } catch (InvalidJobRequestException e) {
            throw new IllegalArgumentException("recurring job '" + job.name() + "': job." + e.field() + " " + e.rule(), e);
        }
        ZoneId zone = job.zone();
        ScheduleDefinition definition = new ScheduleDefinition(job.name(), job.cron() + " " + zone.getId(), job.job(),
                after -> cron.next(after, zone).orElse(null), job.catchUp());
        database.call("registration of recurring job " + job.name(), () -> store.registerSchedule(definition));
        definitions.put(job.name(), new Entry(job, cron, definition));
    }

    /** Stops firing a recurring job on this node (other nodes that define it go on). */
    public void remove(String name) {
        definitions.remove(name);
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void onTimer(Timer t) {
        fireDue();
    }

    /**
     * Enqueues the due instants of every schedule this node knows; an instant whose queue is full is refused
     * (skipped, logged and counted: {@link RecurringAdmission#refused}).
     *
     * @return the instants enqueued and refused
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<FiredJob> fireDue() {
        if (definitions.isEmpty() || !busy.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            Map<String, ScheduleDefinition> due = new TreeMap<>();
            definitions.forEach((name, e) -> due.put(name, e.definition()));
            List<FiredJob> fired = database.call("firing recurring jobs",
                    () -> store.fireDueSchedules(due, admission, CATCH_UP));
            Map<String, List<java.time.Instant>> refused = new TreeMap<>();
            for (FiredJob f : fired) {
                if (f.refused()) {
                    refused.computeIfAbsent(f.schedule(), k -> new ArrayList<>()).add(f.instant());
                } else {
                    LOG.info(() -> "recurring job '" + f.schedule() + "' fired for " + f.instant() + ": job "
                            + f.receipt().id() + (f.receipt().created() ? "" : " (already enqueued)"));
                }
            }
            refused.forEach((name, instants) -> admission.refused(name, due.get(name).template().queue(), instants));
            firedTotal.addAndGet(fired.stream().filter(FiredJob::created).count());
            fired.stream().filter(FiredJob::created).forEach(f -> metrics.recurringFired(f.schedule()));
            if (fired.stream().anyMatch(f -> !f.refused())) {
                dispatcher.announce(); // the firing committed: every node may claim them now
            }
            return fired;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "recurring jobs: " + e.getMessage(),
                    e instanceof dev.dukequeue.QueueUnavailableException ? null : e);
            return List.of();
        } finally {
            busy.set(false);
        }
    }

    /**
     * @return the recurring jobs this node defines, by name (the read model joins them with their shared state for
     *         operators: {@code RecurringListing})
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public java.util.SortedMap<String, RecurringJob> definitions() {
        java.util.SortedMap<String, RecurringJob> jobs = new TreeMap<>();
        definitions.forEach((name, e) -> jobs.put(name, e.job()));
        return java.util.Collections.unmodifiableSortedMap(jobs);
    }

    /** @return jobs this node enqueued for recurring schedules since it started */
    public long firedTotal() {
        return firedTotal.get();
    }

    /**
     * Reads {@code dukequeue.recurring=<name>,...} and, per name, {@code dukequeue.recurring.<name>.cron} (required),
     * {@code .type} (required), {@code .zone}, {@code .queue}, {@code .payload} (JSON), {@code .priority},
     * {@code .max-attempts}, {@code .timeout-ms}. Names are listed explicitly so environment variables work too
     * ({@code DUKEQUEUE_RECURRING_NIGHTLY_CRON}).
     *
     * @throws IllegalArgumentException naming the key and the rule
     */
    static List<RecurringJob> fromConfiguration(Config config) {
        List<RecurringJob> jobs = new ArrayList<>();
        String names = config.getOptionalValue("dukequeue.recurring", String.class).orElse("");
        for (String raw : names.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            String prefix = "dukequeue.recurring." + name + ".";
            String cron = required(config, prefix + "cron");
            JobRequest.Builder b = JobRequest.builder(required(config, prefix + "type"));
            Optional<String> value = config.getOptionalValue(prefix + "queue", String.class);
            value.ifPresent(b::queue);
            config.getOptionalValue(prefix + "payload", String.class).ifPresent(b::payloadJson);
            config.getOptionalValue(prefix + "priority", Integer.class).ifPresent(b::priority);
            config.getOptionalValue(prefix + "max-attempts", Integer.class).ifPresent(b::maxAttempts);
            config.getOptionalValue(prefix + "timeout-ms", Long.class).map(Duration::ofMillis).ifPresent(b::timeout);
            try {
                ZoneId zone = config.getOptionalValue(prefix + "zone", String.class).map(ZoneId::of).orElse(null);
                boolean catchUp = config.getOptionalValue(prefix + "catch-up", Boolean.class).orElse(true);
                jobs.add(new RecurringJob(name, cron, zone, b.build(), catchUp));
            } catch (InvalidJobRequestException e) {
                throw new IllegalArgumentException(prefix + e.field() + " " + e.rule(), e);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException(prefix + "zone is not a time zone: " + e.getMessage(), e);
            }
        }
        return jobs;
    }

    private static String required(Config config, String key) {
        return config.getOptionalValue(key, String.class)
                .orElseThrow(() -> new IllegalArgumentException(key + " is required for a recurring job listed in"
                        + " dukequeue.recurring"));
    }
}
