package dev.dukequeue.web.http;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many bytes a request body may have, checked before it is read ({@link BodyLimitFilter}).
 * {@code dukequeue.http.max-body-bytes} (default: {@code dukequeue.payload.max.bytes} + 64 KiB, room for the job's
 * other fields around the largest payload) bounds every body but a batch's; {@code dukequeue.http.max-batch-bytes}
 * (default 16 MiB) bounds {@code POST /jobs/batch}, whose job count is bounded by {@code dukequeue.submit.batch.max}.
 * Checked at deployment: a value below 1 stops it.
 */
@ApplicationScoped
public class RequestLimits {

    public static final String MAX_BODY = "dukequeue.http.max-body-bytes";
    public static final String MAX_BATCH = "dukequeue.http.max-batch-bytes";
    /** Room for a job's fields (type, queue, key, dependencies...) around a payload of the largest size. */
    static final long HEADROOM = 64 * 1024;

    @Inject
    @ConfigProperty(name = MAX_BODY)
    Optional<Long> configuredBody;

    @Inject
    @ConfigProperty(name = MAX_BATCH, defaultValue = "16777216")
    long maxBatch;

    /**
     * Read here, not through EngineConfig: injecting EngineConfig would run the engine's own checks at deployment, and
     * an engine setting that is wrong must leave the application deployed with liveness DOWN naming it (the engine's
     * start-up failure path), not fail the whole deployment from this bean.
     */
    @Inject
    @ConfigProperty(name = "dukequeue.payload.max.bytes", defaultValue = "1048576")
    long payloadMaxBytes;

    private long maxBody;

    @PostConstruct
    void check() {
        maxBody = configuredBody.orElse(payloadMaxBytes + HEADROOM);
        positive(MAX_BODY, maxBody);
        positive(MAX_BATCH, maxBatch);
    }

    /** Reads (and checks) the settings at deployment, so that a bad value fails it at once. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        maxBody();
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 byte, got " + value);
        }
    }

    public long maxBody() {
        return maxBody;
    }

    public long maxBatch() {
        return maxBatch;
    }
}
