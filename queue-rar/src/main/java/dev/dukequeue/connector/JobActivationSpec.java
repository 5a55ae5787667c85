package dev.dukequeue.connector;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;
import java.beans.PropertyDescriptor;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The activation properties of a message-driven bean that implements {@code dev.dukequeue.JobListener}:
 * <ul>
 * <li>{@code jobTypes} (required; {@code jobType} is the same): the job types the bean runs, separated by commas, each
 * 1..128 characters of letters, digits and {@code . _ - :}, at most 64 types; a type can have one bean per
 * server;</li>
 * <li>{@code maxConcurrency} (optional, 1..1000, default 8): how many of its jobs this node delivers at once; the
 * engine stops claiming the bean's types while that many run;</li>
 * <li>{@code queue} (optional): the bean runs only the jobs of its types submitted to this queue (a queue name:
 * 1..64 characters of letters, digits and {@code . _ -}); jobs of its types in other queues are left to other
 * servers. Without it, the bean runs its types' jobs from every queue.</li>
 * </ul>
 * Checked by {@link #validate()} when the bean is deployed: a bad value fails the deployment naming the property.
 */
public class JobActivationSpec implements ActivationSpec {

    static final int MAX_TYPES = 64;
    static final int MAX_CONCURRENCY = 1000;
    static final int DEFAULT_CONCURRENCY = 8;
    private static final String TYPE_RULE = "[A-Za-z0-9._:-]{1,128}";

    private ResourceAdapter adapter;
    private String jobTypes;
    private Integer maxConcurrency = DEFAULT_CONCURRENCY;
    private String queue;

    public String getJobTypes() {
        return jobTypes;
    }

    public void setJobTypes(String jobTypes) {
        this.jobTypes = jobTypes;
    }

    /** The same as {@code jobTypes}, for a bean that runs one type. */
    public String getJobType() {
        return jobTypes;
    }

    public void setJobType(String jobType) {
        this.jobTypes = jobType;
    }

    public Integer getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(Integer maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    /** @return the one queue the bean takes its jobs from, or null for every queue */
    String onlyQueue() {
        return queue == null || queue.isBlank() ? null : queue.strip();
    }

    /** @return the job types, in the order given, without repeats */
    Set<String> types() {
        Set<String> out = new LinkedHashSet<>();
        if (jobTypes != null) {
            Arrays.stream(jobTypes.split(",")).map(String::strip).filter(t -> !t.isEmpty()).forEach(out::add);
        }
        return out;
    }

    @Override
    public void validate() throws InvalidPropertyException {
        if (jobTypes == null || jobTypes.isBlank()) {
            throw invalid("jobTypes", "jobTypes is required: the job types this bean runs, separated by commas");
        }
        if (jobTypes.length() > MAX_TYPES * 130) {
            throw invalid("jobTypes", "jobTypes must be at most " + MAX_TYPES * 130 + " characters, got "
                    + jobTypes.length());
        }
        Set<String> types = types();
        if (types.isEmpty()) {
            throw invalid("jobTypes", "jobTypes names no type: '" + jobTypes + "'");
        }
        if (types.size() > MAX_TYPES) {
            throw invalid("jobTypes", "jobTypes must name at most " + MAX_TYPES + " types, got " + types.size());
        }
        for (String type : types) {
            if (!type.matches(TYPE_RULE)) {
                throw invalid("jobTypes", "jobTypes: '" + type
                        + "' is not a job type (1..128 characters of letters, digits and . _ - :)");
            }
        }
        if (maxConcurrency == null || maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
            throw invalid("maxConcurrency", "maxConcurrency must be 1.." + MAX_CONCURRENCY + ", got " + maxConcurrency);
        }
        String only = onlyQueue();
        if (only != null && !dev.dukequeue.QueueName.isValid(only)) {
            throw invalid("queue", "queue: '" + (only.length() > 80 ? only.substring(0, 80) + "..." : only)
                    + "' is not a queue name (1..64 characters of letters, digits and . _ -)");
        }
    }

    private static InvalidPropertyException invalid(String property, String message) {
        InvalidPropertyException e = new InvalidPropertyException(message);
        try {
            e.setInvalidPropertyDescriptors(new PropertyDescriptor[] {
                    new PropertyDescriptor(property, JobActivationSpec.class)});
        } catch (java.beans.IntrospectionException ignored) {
            // the message names the property anyway
        }
        return e;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        this.adapter = ra;
    }

    @Override
    public String toString() {
        return "JobActivationSpec[jobTypes=" + jobTypes + ", maxConcurrency=" + maxConcurrency
                + (onlyQueue() == null ? "" : ", queue=" + onlyQueue()) + "]";
    }
}
