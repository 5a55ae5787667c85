package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobId;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import dev.dukequeue.sample.Order;
import dev.dukequeue.sample.OrderRejectedException;
import dev.dukequeue.sample.OrderService;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real EAR built by {@code queue-ear} on a full Jakarta EE server (Payara Server, unpacked from Maven Central by
 * the build and started by Arquillian's managed container): the sample module's {@code @Stateless} bean submits in its
 * container-managed transaction, a rollback leaves no job, a commit's job is completed by the sample's handler, and
 * the REST API, the UI, health and metrics answer through the EAR's web module. The engine runs on its embedded H2
 * default; its settings come from the environment (see the pom's payara-server execution).
 *
 * <p>The only change to the EAR is what in-container testing needs: this class and its test libraries in the web
 * module (Arquillian adds its protocol servlet there too).
 */
@ExtendWith(ArquillianExtension.class)
class EarOnPayaraServerIT {

    @EJB
    OrderService orders;

    @Inject
    JobQueue jobs;

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    @Resource
    UserTransaction transaction;

    @ArquillianResource
    URL base;

    @Deployment
    static EnterpriseArchive ear() {
        File file = new File(System.getProperty("dukequeue.ear", "target/dukequeue.ear"));
        if (!file.isFile()) {
            throw new IllegalStateException("the EAR under test is missing: " + file.getAbsolutePath());
        }
        EnterpriseArchive ear = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, file);
        WebArchive web = ear.getAsType(WebArchive.class, "admin-web.war");
        web.addClass(EarOnPayaraServerIT.class)
                .addAsLibraries(Deployments.jarOf(org.assertj.core.api.Assertions.class),
                        Deployments.jarOf(org.awaitility.Awaitility.class), Deployments.jarOf(org.hamcrest.Matcher.class));
        return ear;
    }

    private JobView awaitEnded(JobId id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.find(id).map(v -> v.state().isTerminal()).orElse(false));
        return jobs.find(id).orElseThrow();
    }

    private long jobsWithKey(String key) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dq_job WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anOrderCommittedWithItsJobIsConfirmedByTheHandlerInTheEar() {
        String id = UUID.randomUUID().toString();

        JobId job = orders.place(new Order(id, "alice", 4_200), false);

        JobView done = awaitEnded(job);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.queue()).isEqualTo("sample");
        assertThat(done.resultJson()).contains("\"confirmedTo\":\"alice\"").contains("\"firstTime\":true");
        assertThat(orders.confirmedAt(id)).as("the handler wrote the confirmation").isPresent();
    }

    @Test
    void aRollbackInTheBeanLeavesNeitherTheOrderNorItsJob() throws Exception {
        String id = UUID.randomUUID().toString();

        assertThatThrownBy(() -> orders.place(new Order(id, "bob", 100), true))
                .isInstanceOf(OrderRejectedException.class);

        assertThat(orders.exists(id)).isFalse();
        assertThat(jobsWithKey("order:" + id)).isZero();
    }

    @Test
    void theBeanJoinsTheCallersTransactionAndItsRollbackTakesTheJobToo() throws Exception {
        String rolledBack = UUID.randomUUID().toString();
        String committed = UUID.randomUUID().toString();

        transaction.begin();
        JobId lost = orders.place(new Order(rolledBack, "carol", 100), false);
        assertThat(jobs.find(lost)).as("visible inside the transaction").isPresent();
        transaction.rollback();
        transaction.begin();
        JobId kept = orders.place(new Order(committed, "dave", 100), false);
        transaction.commit();

        assertThat(jobs.find(lost)).isEmpty();
        assertThat(jobsWithKey("order:" + rolledBack)).isZero();
        assertThat(orders.exists(rolledBack)).isFalse();
        assertThat(awaitEnded(kept).state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    @RunAsClient
    void theRestApiTheUiHealthAndMetricsAnswerThroughTheEarsWebModule() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + Deployments.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/jobs"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"sample.order-confirmation\",\"queue\":\"sample\","
                        + "\"payload\":{\"orderId\":\"none\",\"customer\":\"rest\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        String id = submitted.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        await().atMost(Duration.ofSeconds(60)).until(() -> http.send(HttpRequest.newBuilder(
                URI.create(base + "api/v1/jobs/" + id)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("\"state\":\"COMPLETED\""));

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/jobs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create(base + "ui/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).as("the UI asks for a login").isEqualTo(302);
        assertThat(ui.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("login.html"));

        String server = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(server + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"phase\":\"RUNNING\"");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(server + "/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(PrometheusText.value(metrics.body(), "dukequeue_jobs_completed_total", "queue=\"sample\""))
                .isGreaterThanOrEqualTo(1);
    }
}
