package dev.dukequeue.engine.host;

import dev.dukequeue.JobContext;
import dev.dukequeue.engine.dispatch.JobHandlers;
import dev.dukequeue.engine.job.Lease;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Handlers as functions, added and removed while the engine runs (as message endpoints are), and a record of every
 * invocation kept outside the queue's tables: {@code type attempt}, so a test counts executions itself.
 */
final class TestHandlers implements JobHandlers {

    /** One handler. */
    @FunctionalInterface
    interface Handler {
        Object handle(JobContext context, Lease lease) throws Exception;
    }

    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    final List<String> invocations = new CopyOnWriteArrayList<>();

    TestHandlers with(String type, Handler handler) {
        handlers.put(type, handler);
        return this;
    }

    void remove(String type) {
        handlers.remove(type);
    }

    /** @return how many times handlers of the type were invoked */
    long invocations(String type) {
        return invocations.stream().filter(i -> i.startsWith(type + " ")).count();
    }

    @Override
    public Set<String> types() {
        return Set.copyOf(handlers.keySet());
    }

    @Override
    public Object invoke(JobContext context, Lease lease) throws Exception {
        invocations.add(context.type() + " " + context.attempt());
        Handler handler = handlers.get(context.type());
        if (handler == null) {
            throw new dev.dukequeue.PermanentJobException("no handler for " + context.type());
        }
        return handler.handle(context, lease);
    }

    @Override
    public String resultJson(Object result) {
        return result == null ? null : result.toString();
    }
}
