package dev.dukequeue;

/** No job has the given id (it never existed, or its submitting transaction rolled back). */
public class JobNotFoundException extends JobQueueException {

    private final JobId id;

    public JobNotFoundException(JobId id) {
        super("no job with id " + id);
        this.id = id;
    }

    /** @return the id that was looked for */
    public JobId id() {
        return id;
    }
}
