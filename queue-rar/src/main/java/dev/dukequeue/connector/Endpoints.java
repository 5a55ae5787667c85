package dev.dukequeue.connector;

import dev.dukequeue.JobContext;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.dispatch.JobHandlers;
import dev.dukequeue.engine.job.Lease;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * The engine's handlers while it is hosted by the adapter: the activated message-driven beans, by job type. The engine
 * claims only the types of beans that have a free delivery ({@link #types()}), and runs each job through
 * {@link Delivery} in its bean's container transaction.
 *
 * <p>Thread-safe: activations and deactivations come from the server's deployment threads, deliveries from the
 * engine's workers.
 */
final class Endpoints implements JobHandlers {

    private static final Logger LOG = Logger.getLogger(Endpoints.class.getName());

    /** One activated bean. */
    static final class Endpoint {
        final MessageEndpointFactory factory;
        final Set<String> types;
        final int maxConcurrency;
        /** The one queue it takes jobs from, or null for every queue. */
        final String queue;
        final Semaphore free;

        Endpoint(MessageEndpointFactory factory, Set<String> types, int maxConcurrency, String queue) {
            this.factory = factory;
            this.types = Collections.unmodifiableSet(new LinkedHashSet<>(types));
            this.maxConcurrency = maxConcurrency;
            this.queue = queue;
            this.free = new Semaphore(maxConcurrency, true);
        }

        String name() {
            String activation = factory.getActivationName();
            return activation != null ? activation : factory.getEndpointClass().getName();
        }
    }

    private final Map<String, Endpoint> byType = new ConcurrentHashMap<>();
    private final Delivery delivery;

    Endpoints(Delivery delivery) {
        this.delivery = delivery;
    }

    /**
     * Makes a bean the handler of its types on this node.
     *
     * @throws NotSupportedException if another bean already runs one of the types (the message names both)
     */
    synchronized Endpoint activate(MessageEndpointFactory factory, JobActivationSpec spec) throws ResourceException {
        Set<String> types = spec.types();
        Endpoint endpoint = new Endpoint(factory, types, spec.getMaxConcurrency(), spec.onlyQueue());
        for (String type : types) {
            Endpoint other = byType.get(type);
            if (other != null) {
                throw new NotSupportedException("job type '" + type + "' already has a message-driven bean on this "
                        + "server: " + other.name() + "; " + endpoint.name() + " cannot run it too");
            }
        }
        types.forEach(t -> byType.put(t, endpoint));
        LOG.info(() -> "DukeQueue adapter: " + endpoint.name() + " runs job types " + types
                + (endpoint.queue == null ? "" : " from queue '" + endpoint.queue + "' only") + " (at most "
                + endpoint.maxConcurrency + " at once)");
        return endpoint;
    }

    /** @return the types the bean ran, now no longer claimed on this node; empty if it was not active */
    synchronized Set<String> deactivate(MessageEndpointFactory factory) {
        Set<String> removed = new LinkedHashSet<>();
        byType.entrySet().removeIf(e -> {
            if (e.getValue().factory.equals(factory)) {
                removed.add(e.getKey());
                return true;
            }
            return false;
        });
        return removed;
    }

    /** @return the types of beans that can take one more delivery now: the only ones the engine claims */
    @Override
    public Set<String> types() {
        Set<String> out = new LinkedHashSet<>();
        byType.forEach((type, endpoint) -> {
            if (endpoint.free.availablePermits() > 0) {
                out.add(type);
            }
        });
        return out;
    }

    /** @return per type whose bean set the {@code queue} activation property, that queue */
    @Override
    public Map<String, String> onlyQueues() {
        Map<String, String> out = new java.util.HashMap<>();
        byType.forEach((type, endpoint) -> {
            if (endpoint.queue != null) {
                out.put(type, endpoint.queue);
            }
        });
        return out;
    }

    /** @return whether a bean runs the type, whether or not it has a free delivery now */
    @Override
    public boolean runs(String type) {
        return byType.containsKey(type);
    }

    @Override
    public Object invoke(JobContext context, Lease lease) throws Exception {
        Endpoint endpoint = byType.get(context.type());
        if (endpoint == null) {
            // Deactivated between the claim and the start (its application is being undeployed): retried later.
            throw new TemporaryJobException("no message-driven bean runs job type '" + context.type()
                    + "' on this server any more (its application was undeployed)");
        }
        // A claim can take more jobs of one type than its bean may run at once: the extra ones wait here.
        endpoint.free.acquire();
        try {
            return delivery.deliver(endpoint.factory, context, lease);
        } finally {
            endpoint.free.release();
        }
    }

    @Override
    public String resultJson(Object result) {
        return delivery.resultJson(result);
    }
}
