package dev.dukequeue.engine.observe;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    private static JsonObject parse(String line) {
        assertThat(line).endsWith("}\n").doesNotContain("\n{");
        return Json.createReader(new StringReader(line)).readObject();
    }

    @Test
    void aJobEventIsOneJsonObjectWithItsFields() {
        LogRecord r = new LogRecord(Level.WARNING, "job 42 failed: \"quoted\"\nsecond line\t\u0001");
        r.setLoggerName("dev.dukequeue.engine.dispatch.Dispatcher");
        r.setParameters(new Object[] {JobLog.fields("42", "mail.send", "mail", "node-a#1", "FAIL_RETRYABLE", 2)});
        r.setThrown(new IllegalStateException("boom"));

        JsonObject json = parse(new JsonLogFormatter().format(r));

        assertThat(json.getString("level")).isEqualTo("WARNING");
        assertThat(json.getString("message")).isEqualTo("job 42 failed: \"quoted\"\nsecond line\t\u0001");
        assertThat(json.getString("jobId")).isEqualTo("42");
        assertThat(json.getString("type")).isEqualTo("mail.send");
        assertThat(json.getString("queue")).isEqualTo("mail");
        assertThat(json.getString("node")).isEqualTo("node-a#1");
        assertThat(json.getString("transition")).isEqualTo("FAIL_RETRYABLE");
        assertThat(json.getInt("attempt")).isEqualTo(2);
        assertThat(json.getString("exception")).contains("IllegalStateException: boom");
        assertThat(json.getString("time")).endsWith("Z");
    }

    @Test
    void anOrdinaryLineKeepsItsMessageArguments() {
        LogRecord r = new LogRecord(Level.INFO, "hello {0}");
        r.setParameters(new Object[] {"world"});
        assertThat(parse(new JsonLogFormatter().format(r)).getString("message")).isEqualTo("hello world");
    }
}
