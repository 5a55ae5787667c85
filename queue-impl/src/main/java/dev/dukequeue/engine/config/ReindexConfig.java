package dev.dukequeue.engine.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code dukequeue.reindex.*}: the index upkeep, a recurring job of the engine on PostgreSQL
 * ({@code upkeep.ReindexHandler}). Its own class rather than more of {@link EngineConfig}: only the CDI host runs it
 * (like retention, it needs the recurring-job scheduler), and its values have rules of their own, checked here at
 * start-up with a message naming the key.
 */
@ApplicationScoped
public class ReindexConfig {

    /** The smallest ratio accepted: under it, an index fresh from a page split would be rebuilt again and again. */
    public static final double MIN_BLOAT = 1.2;
    public static final double MAX_BLOAT = 100;
    public static final long MAX_MIN_SIZE_MB = 1_048_576;
    public static final Duration MIN_WAIT = Duration.ofSeconds(1);
    public static final Duration MAX_WAIT = Duration.ofHours(1);

    @Inject
    @ConfigProperty(name = "dukequeue.reindex.enabled", defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "dukequeue.reindex.cron", defaultValue = "0 5/10 * * * *")
    String cron;

    @Inject
    @ConfigProperty(name = "dukequeue.reindex.bloat", defaultValue = "2.0")
    double bloat;

    @Inject
    @ConfigProperty(name = "dukequeue.reindex.min-size.mb", defaultValue = "8")
    long minSizeMb;

    @Inject
    @ConfigProperty(name = "dukequeue.reindex.max-wait", defaultValue = "PT1M")
    Duration maxWait;

    /** For CDI. */
    public ReindexConfig() {
    }

    /** Outside CDI (tests). */
    public ReindexConfig(boolean enabled, String cron, double bloat, long minSizeMb, Duration maxWait) {
        this.enabled = enabled;
        this.cron = cron;
        this.bloat = bloat;
        this.minSizeMb = minSizeMb;
        this.maxWait = maxWait;
        check();
    }

    /** @throws IllegalArgumentException naming the key, the rule and the value */
    @PostConstruct
    void check() {
        if (!(bloat >= MIN_BLOAT && bloat <= MAX_BLOAT)) {
            throw new IllegalArgumentException("dukequeue.reindex.bloat must be between " + MIN_BLOAT + " and "
                    + MAX_BLOAT + ", got " + bloat);
        }
        if (minSizeMb < 1 || minSizeMb > MAX_MIN_SIZE_MB) {
            throw new IllegalArgumentException("dukequeue.reindex.min-size.mb must be between 1 and "
                    + MAX_MIN_SIZE_MB + ", got " + minSizeMb);
        }
        if (maxWait == null || maxWait.compareTo(MIN_WAIT) < 0 || maxWait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("dukequeue.reindex.max-wait must be between " + MIN_WAIT + " and "
                    + MAX_WAIT + ", got " + maxWait);
        }
    }

    /** @return true if the recurring job {@code dukequeue-reindex} is registered (PostgreSQL only) */
    public boolean enabled() {
        return enabled;
    }

    /** @return when the upkeep looks at the indexes */
    public String cron() {
        return cron;
    }

    /** @return rebuild an index taking more than this many times what its live entries need */
    public double bloat() {
        return bloat;
    }

    /** @return and at least this many bytes */
    public long minBytes() {
        return minSizeMb * 1024 * 1024;
    }

    /** @return how long a rebuild waits for a lock or an older transaction; an older one skips the run */
    public Duration maxWait() {
        return maxWait;
    }
}
