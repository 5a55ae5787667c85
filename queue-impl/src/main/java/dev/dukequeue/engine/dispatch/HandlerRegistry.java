package dev.dukequeue.engine.dispatch;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Finds the CDI beans that implement {@link JobHandler} and carry {@link HandlesJob}, and runs them: converts the
 * JSON payload to the handler's payload type and the handler's return value back to JSON.
 *
 * <p>Refuses to start when two beans claim one type or a type name breaks the job-type rule. Demo handlers are
 * skipped unless {@code dukequeue.demo.enabled} is true; on an admin node ({@code dukequeue.node.role=admin})
 * the dispatcher claims for none of them. The application host's {@link JobHandlers}: its types are
 * fixed once discovered.
 */
@ApplicationScoped
public class HandlerRegistry implements JobHandlers {

    private static final Logger LOG = Logger.getLogger(HandlerRegistry.class.getName());
    private static final Type HANDLER_TYPE = new TypeLiteral<JobHandler<?>>() { }.getType();

    @Inject
    BeanManager beanManager;

    @Inject
    EngineConfig config;

    private final Jsonb jsonb = JsonbBuilder.create();
    /**
     * Looked up once: {@code Json.createReader} looks the provider up through the ServiceLoader on every call, which
     * scans the class path's jars (it was the hottest frame of a drain).
     */
    static final jakarta.json.spi.JsonProvider JSON = jakarta.json.spi.JsonProvider.provider();
    /** Client proxies of normal-scoped handlers, per job type: looked up once (a proxy finds the instance itself). */
    private final Map<String, JobHandler<?>> proxies = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Map<String, Binding> bindings = Map.of();

    private record Binding(String type, Bean<?> bean, Type beanType, Type payloadType) {
    }

    /** Discovers the handlers; called once at start-up. */
    public void discover() {
        Map<String, Binding> found = new TreeMap<>();
        for (Bean<?> bean : beanManager.getBeans(HANDLER_TYPE, Any.Literal.INSTANCE)) {
            Class<?> beanClass = bean.getBeanClass();
            HandlesJob binding = beanClass.getAnnotation(HandlesJob.class);
            if (binding == null) {
                LOG.warning(() -> "JobHandler bean " + beanClass.getName() + " has no @HandlesJob: ignored");
                continue;
            }
            if (beanClass.isAnnotationPresent(DemoHandler.class) && !config.demoEnabled()) {
                continue;
            }
            String type = binding.value();
            if (!type.matches("[A-Za-z0-9._:-]{1,128}")) {
                throw new IllegalStateException("@HandlesJob(\"" + type + "\") on " + beanClass.getName()
                        + ": a job type is 1..128 characters of letters, digits and . _ - :");
            }
            Binding previous = found.get(type);
            if (previous != null) {
                throw new IllegalStateException("job type '" + type + "' has two handlers: "
                        + previous.bean().getBeanClass().getName() + " and " + beanClass.getName());
            }
            Type beanType = handlerType(bean);
            found.put(type, new Binding(type, bean, beanType, payloadType(beanType)));
        }
        java.util.Set<String> notRun = new java.util.TreeSet<>(found.keySet());
        notRun.removeAll(dev.dukequeue.engine.config.EngineJobs.ALL);
        if (!config.runsJobs() && !notRun.isEmpty()) {
            LOG.warning(() -> "DukeQueue admin node (dukequeue.node.role=admin): these handlers are not run here,"
                    + " the worker nodes run their jobs: " + notRun);
        }
        bindings = Collections.unmodifiableMap(found);
        LOG.info(() -> "DukeQueue handlers: " + found.keySet());
    }

    private static Type handlerType(Bean<?> bean) {
        for (Type t : bean.getTypes()) {
            if (t instanceof ParameterizedType p && p.getRawType() == JobHandler.class) {
                return p;
            }
        }
        return JobHandler.class;
    }

    private static Type payloadType(Type beanType) {
        if (beanType instanceof ParameterizedType p) {
            Type arg = p.getActualTypeArguments()[0];
            if (arg instanceof Class<?> || arg instanceof ParameterizedType) {
                return arg;
            }
        }
        return JsonValue.class;
    }

    /** @return the job types this node can run (the only ones it claims) */
    @Override
    public Set<String> types() {
        return bindings.keySet();
    }

    /** Runs one attempt; the lease is not needed: a CDI handler's outcome is written by the dispatcher. */
    @Override
    public Object invoke(JobContext context, dev.dukequeue.engine.job.Lease lease) throws Exception {
        return invoke(context);
    }

    /**
     * Runs one attempt.
     *
     * @return the handler's result as JSON text, or null
     * @throws PermanentJobException if the payload cannot be converted to the handler's payload type
     * @throws Exception             whatever the handler throws
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Object invoke(JobContext context) throws Exception {
        Binding binding = bindings.get(context.type());
        if (binding == null) {
            throw new PermanentJobException("no handler for job type '" + context.type() + "' on this node");
        }
        Object payload = convertPayload(context.payloadJson(), binding.payloadType());
        Bean<?> bean = binding.bean();
        if (beanManager.isNormalScope(bean.getScope())) {
            JobHandler handler = proxies.computeIfAbsent(binding.type(), t -> (JobHandler<?>) beanManager.getReference(
                    bean, binding.beanType(), beanManager.createCreationalContext(bean)));
            return handler.handle(payload, context);
        }
        CreationalContext<?> cc = beanManager.createCreationalContext(bean);
        try {
            JobHandler handler = (JobHandler) beanManager.getReference(bean, binding.beanType(), cc);
            return handler.handle(payload, context);
        } finally {
            if (bean.getScope() == Dependent.class) {
                cc.release();
            }
        }
    }

    private Object convertPayload(String json, Type target) {
        try {
            if (target == String.class) {
                return json;
            }
            if (target instanceof Class<?> c && JsonValue.class.isAssignableFrom(c)) {
                JsonValue value;
                try (JsonReader reader = JSON.createReader(new StringReader(json))) {
                    value = reader.readValue();
                }
                // A job without a payload carries JSON null: a JsonObject (or JsonArray...) handler receives null.
                return value == JsonValue.NULL && c != JsonValue.class ? null : c.cast(value);
            }
            return jsonb.fromJson(json, target);
        } catch (JsonbException | JsonException | ClassCastException e) {
            throw new PermanentJobException("payload cannot be converted to " + target.getTypeName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the handler's result as JSON text (a JsonValue as-is), or null */
    @Override
    public String resultJson(Object result) {
        if (result == null) {
            return null;
        }
        if (result instanceof JsonValue v) {
            return v.toString();
        }
        return jsonb.toJson(result);
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            LOG.fine(() -> "closing JSON-B: " + e);
        }
    }
}
