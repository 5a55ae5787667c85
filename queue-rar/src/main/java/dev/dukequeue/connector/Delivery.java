package dev.dukequeue.connector;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.dispatch.Settled;
import dev.dukequeue.engine.job.Lease;
import jakarta.ejb.EJBException;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import java.lang.reflect.Method;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one job to a message-driven bean, and decides who writes its outcome.
 *
 * <p><b>Transacted delivery</b> (the bean's {@code onJob} is {@code REQUIRED}, the default): between
 * {@code beforeDelivery} and {@code afterDelivery} the worker thread carries the bean's container transaction. When
 * {@code onJob} returns, the job's completion is written here, on that thread, through the server's JDBC resource,
 * so it is enlisted in the same transaction, fenced by the job's lease like every completion: the bean's rows and the
 * job's COMPLETED commit together or not at all (exactly-once effects). If the fence refuses (the lease was lost:
 * timed out, cancelled, rescued) or {@code onJob} throws, the transaction is marked rollback-only, so that neither
 * the bean's rows nor anything else of that attempt commits; a thrown exception is then recorded as the attempt's
 * failure by the engine, in a transaction of its own, and retried by its policy. A transaction that rolls back for
 * any other reason (the bean called {@code setRollbackOnly}, the commit failed) leaves the job RUNNING under its lease;
 * the engine records a failed attempt and retries it.
 *
 * <p><b>Not transacted</b> ({@code NOT_SUPPORTED}, bean-managed): the bean runs, then the engine completes the job in
 * its own group commit, as for a CDI handler: at-least-once.
 */
final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());
    static final Method ON_JOB;

    static {
        try {
            ON_JOB = JobListener.class.getMethod("onJob", JobContext.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AdapterHost host;
    /** Completes the job in the transaction active on this thread, fenced by its lease: true if the fence took it. */
    private final BiPredicate<Lease, String> completeInTransaction;
    private final Jsonb jsonb = JsonbBuilder.create();

    Delivery(AdapterHost host, BiPredicate<Lease, String> completeInTransaction) {
        this.host = host;
        this.completeInTransaction = completeInTransaction;
    }

    Object deliver(MessageEndpointFactory factory, JobContext context, Lease lease) throws Exception {
        boolean transacted = factory.isDeliveryTransacted(ON_JOB);
        MessageEndpoint endpoint;
        try {
            endpoint = factory.createEndpoint(null);
        } catch (UnavailableException e) {
            throw new TemporaryJobException("the message-driven bean for job type '" + context.type()
                    + "' is not available: " + e.getMessage(), e);
        }
        try {
            return transacted ? transacted(endpoint, context, lease) : plain(endpoint, context);
        } finally {
            endpoint.release();
        }
    }

    private Object plain(MessageEndpoint endpoint, JobContext context) throws Exception {
        endpoint.beforeDelivery(ON_JOB);
        try {
            return ((JobListener) endpoint).onJob(context);
        } catch (EJBException e) {
            Throwable own = beansOwn(e);
            if (own instanceof Exception ex) {
                throw ex;
            }
            throw (Error) own;
        } finally {
            endpoint.afterDelivery();
        }
    }

    private Object transacted(MessageEndpoint endpoint, JobContext context, Lease lease) throws Exception {
        endpoint.beforeDelivery(ON_JOB);
        TransactionManager tm = host.transactionManager();
        Ending ending = new Ending();
        Throwable thrown = null;
        boolean accepted = false;
        try {
            tm.getTransaction().registerSynchronization(ending);
            Object result = ((JobListener) endpoint).onJob(context);
            accepted = completeInTransaction.test(lease, resultJson(result));
            if (!accepted) {
                tm.setRollbackOnly(); // the lease is gone: another execution owns the job, this one's effects must not stay
            }
        } catch (Throwable t) { // Errors included: whatever the bean did in this attempt must not commit
            thrown = beansOwn(t);
            rollbackOnly(tm, context);
        } finally {
            try {
                endpoint.afterDelivery(); // commits or rolls back the bean's transaction, with the completion in it
            } catch (ResourceException e) {
                if (thrown == null) {
                    thrown = new TemporaryJobException("the message-driven bean's transaction did not commit: "
                            + e.getMessage(), e);
                } else {
                    thrown.addSuppressed(e);
                }
            }
        }
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        if (!accepted) {
            LOG.info(() -> "job " + context.jobId() + ": delivered after its lease was lost; the bean's transaction "
                    + "was rolled back and the outcome discarded");
            return new Settled(false);
        }
        if (ending.status == Status.STATUS_COMMITTED) {
            return new Settled(true);
        }
        throw new TemporaryJobException("the message-driven bean's transaction rolled back (JTA status "
                + ending.status + "): the job was not completed and will be retried");
    }

    /**
     * The container wraps what the bean threw as a system exception (a RuntimeException or an Error) in an
     * {@code EJBException} "message-driven bean method ... system exception": the attempt's history records the
     * bean's own exception, with its own message and stack trace, so that its author recognises it.
     */
    static Throwable beansOwn(Throwable thrown) {
        Throwable t = thrown;
        while (t instanceof EJBException && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void rollbackOnly(TransactionManager tm, JobContext context) {
        try {
            tm.setRollbackOnly();
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, "job " + context.jobId() + ": could not mark the delivery's transaction "
                    + "rollback-only", e);
        }
    }

    /** The result as JSON: a JsonValue as is, anything else through JSON-B; null stays null. */
    String resultJson(Object result) {
        if (result == null) {
            return null;
        }
        if (result instanceof JsonValue v) {
            return v.toString();
        }
        return jsonb.toJson(result);
    }

    /** How the delivery's transaction ended. */
    private static final class Ending implements Synchronization {
        volatile int status = Status.STATUS_UNKNOWN;

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            this.status = status;
        }
    }
}
