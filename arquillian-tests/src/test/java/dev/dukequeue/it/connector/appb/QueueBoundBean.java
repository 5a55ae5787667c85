package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import javax.sql.DataSource;

/** Runs {@code conn.queue-bound} from queue {@code vip} only (the {@code queue} activation property): records its effect. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = QueueBoundBean.TYPE),
        @ActivationConfigProperty(propertyName = "queue", propertyValue = QueueBoundBean.QUEUE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "2")})
public class QueueBoundBean implements JobListener {

    public static final String TYPE = "conn.queue-bound";
    public static final String QUEUE = "vip";

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Override
    public Object onJob(JobContext job) throws Exception {
        Effects.record(database, job, "queue-bound:" + job.queue());
        return null;
    }
}
