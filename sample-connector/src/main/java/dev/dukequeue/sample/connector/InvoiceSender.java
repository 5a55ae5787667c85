package dev.dukequeue.sample.connector;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import dev.dukequeue.PermanentJobException;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.sql.DataSource;

/**
 * Sends an invoice: marks it sent in the bean's container transaction, in which the adapter also completes the job. A
 * crash before the commit leaves both undone and the job is run again; after it, both are done: sent exactly once.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = Invoices.SEND),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
public class InvoiceSender implements JobListener {

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Override
    public Object onJob(JobContext job) throws Exception {
        String invoice;
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            JsonObject payload = reader.readObject();
            invoice = payload.getString("invoice");
        } catch (RuntimeException e) {
            throw new PermanentJobException("payload is not {\"invoice\": \"...\"}: " + e.getMessage(), e);
        }
        try (Connection c = database.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE sample_invoice SET sends = sends + 1 WHERE id = ?")) {
            ps.setString(1, invoice);
            if (ps.executeUpdate() != 1) {
                throw new PermanentJobException("no invoice " + invoice);
            }
        }
        return Json.createObjectBuilder().add("invoice", invoice).add("sent", true).build();
    }
}
