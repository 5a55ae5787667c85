package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import javax.sql.DataSource;

/**
 * Runs {@code conn.fail}: records its effect, then throws. The throw must roll the effect back with the delivery's
 * transaction, every attempt.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = FailingBean.TYPE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2")})
public class FailingBean implements JobListener {

    public static final String TYPE = "conn.fail";

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Override
    public Object onJob(JobContext job) throws Exception {
        Effects.record(database, job, "failing");
        throw new RuntimeException("conn.fail attempt " + job.attempt());
    }
}
