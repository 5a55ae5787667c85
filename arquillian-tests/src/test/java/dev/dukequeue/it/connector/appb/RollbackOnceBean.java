package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.MessageDrivenContext;
import javax.sql.DataSource;

/**
 * Runs {@code conn.rollback-once}: records its effect; on attempt 1 it marks its transaction rollback-only and still
 * returns normally. Only if the adapter writes the completion inside that transaction does attempt 1 leave the job
 * unfinished (and no effect); written anywhere else, attempt 1 would be COMPLETED with no effect at all.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = RollbackOnceBean.TYPE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2")})
public class RollbackOnceBean implements JobListener {

    public static final String TYPE = "conn.rollback-once";

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Resource
    MessageDrivenContext context;

    @Override
    public Object onJob(JobContext job) throws Exception {
        Effects.record(database, job, "rollback-once");
        if (job.attempt() == 1) {
            context.setRollbackOnly();
        }
        return null;
    }
}
