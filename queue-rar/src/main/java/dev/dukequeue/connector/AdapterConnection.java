package dev.dukequeue.connector;

import dev.dukequeue.JobId;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobView;
import dev.dukequeue.RedriveFilter;
import dev.dukequeue.RedriveResult;
import java.util.List;
import java.util.Optional;

/**
 * The connection handle an application holds: every call goes to the adapter's engine on the caller's thread, so a
 * submission joins the caller's JTA transaction. Not thread-safe (a handle is one thread's), like a JDBC connection.
 */
final class AdapterConnection implements JobQueueConnection {

    private volatile JobQueueManagedConnection managed;
    private volatile boolean closed;

    AdapterConnection(JobQueueManagedConnection managed) {
        this.managed = managed;
    }

    private JobQueue queue() {
        JobQueueManagedConnection m = managed;
        if (closed || m == null) {
            throw new IllegalStateException("this DukeQueue connection is closed");
        }
        m.adapter().ensureReady();
        return m.adapter().engine().jobQueue();
    }

    void moveTo(JobQueueManagedConnection other) {
        JobQueueManagedConnection previous = managed;
        if (previous != null && previous != other) {
            previous.forget(this);
        }
        managed = other;
    }

    /** The server destroyed or cleaned up the managed connection: this handle can do nothing more. */
    void invalidate() {
        closed = true;
        managed = null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        JobQueueManagedConnection m = managed;
        if (m != null) {
            m.closed(this);
        }
    }

    @Override
    public JobReceipt submit(JobRequest request) {
        return queue().submit(request);
    }

    @Override
    public List<JobReceipt> submitAll(List<JobRequest> requests) {
        return queue().submitAll(requests);
    }

    @Override
    public Optional<JobView> find(JobId id) {
        return queue().find(id);
    }

    @Override
    public JobView cancel(JobId id) {
        return queue().cancel(id);
    }

    @Override
    public JobView retry(JobId id) {
        return queue().retry(id);
    }

    @Override
    public void pause(String queue) {
        queue().pause(queue);
    }

    @Override
    public void resume(String queue) {
        queue().resume(queue);
    }

    @Override
    public RedriveResult redrive(RedriveFilter filter) {
        return queue().redrive(filter);
    }

    @Override
    public void setMaxRunning(String queue, Integer maxRunning) {
        queue().setMaxRunning(queue, maxRunning);
    }
}
