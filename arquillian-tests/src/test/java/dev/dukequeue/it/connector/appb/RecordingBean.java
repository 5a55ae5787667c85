package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.json.Json;
import javax.sql.DataSource;

/** Runs {@code conn.record}: records its effect and returns a small result. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = RecordingBean.TYPE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
public class RecordingBean implements JobListener {

    public static final String TYPE = "conn.record";

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Override
    public Object onJob(JobContext job) throws Exception {
        Effects.record(database, job, "recording");
        return Json.createObjectBuilder().add("recordedAttempt", job.attempt()).build();
    }
}
