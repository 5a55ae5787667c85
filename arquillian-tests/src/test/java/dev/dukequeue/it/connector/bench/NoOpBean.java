package dev.dukequeue.it.connector.bench;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;

/**
 * Runs {@code bench.noop}: does nothing and returns null, in its container transaction (the default, REQUIRED), in
 * which the adapter writes the job's completion: the cost measured is the adapter's delivery and that transaction.
 * Its {@code maxConcurrency} here is a placeholder: the benchmark's WAR sets it in {@code ejb-jar.xml}.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = NoOpBean.TYPE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "1")})
public class NoOpBean implements JobListener {

    public static final String TYPE = "bench.noop";

    @Override
    public Object onJob(JobContext job) {
        return null;
    }
}
