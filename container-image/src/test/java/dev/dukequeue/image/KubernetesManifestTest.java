package dev.dukequeue.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes example parses, and says what the README promises: probes on the three health endpoints, a grace
 * period longer than the node's own shutdown, the database settings from a Secret that has them, the image's user.
 */
class KubernetesManifestTest {

    private static final Path FILE = Path.of(System.getProperty("dukequeue.kubernetes", "kubernetes"), "dukequeue.yaml");

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object o = node;
        for (String key : path) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(key)) : ((Map<String, Object>) o).get(key);
        }
        return (T) o;
    }

    private static List<Map<String, Object>> documents() throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(FILE)) {
            for (Object d : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(r)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) d;
                docs.add(m);
            }
        }
        return docs;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    @Test
    void theDeploymentProbesTheHealthEndpointsAndOutwaitsTheDrain() throws Exception {
        List<Map<String, Object>> docs = documents();
        assertThat(docs).extracting(d -> d.get("kind")).containsExactly("Secret", "Deployment", "Service");
        Map<String, Object> pod = at(kind(docs, "Deployment"), "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", "0");
        assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/health/started");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
        assertThat((Integer) at(container, "ports", "0", "containerPort")).isEqualTo(8080);
        int drainMs = ((List<Map<String, Object>>) at(container, "env")).stream()
                .filter(e -> "DUKEQUEUE_SHUTDOWN_DRAIN_MS".equals(e.get("name")))
                .map(e -> Integer.parseInt((String) e.get("value"))).findFirst().orElse(10_000);
        int graceS = at(pod, "terminationGracePeriodSeconds");
        // The node stays up drain + 2 s interrupt grace + 2 s after SIGTERM (the image's --shutdowngrace 14000).
        assertThat(graceS * 1000).as("longer than the node's shutdown").isGreaterThan(drainMs + 2000 + 2000);
        assertThat((Integer) at(pod, "securityContext", "runAsUser")).as("the image's user").isEqualTo(10001);
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((String) at(container, "volumeMounts", "0", "mountPath")).as("the image's volume").isEqualTo("/data");
    }

    @Test
    void theDatabaseSettingsComeFromASecretThatHasThem() throws Exception {
        List<Map<String, Object>> docs = documents();
        Map<String, Object> secret = kind(docs, "Secret");
        Map<String, Object> container = at(kind(docs, "Deployment"), "spec", "template", "spec", "containers", "0");
        assertThat((String) at(container, "envFrom", "0", "secretRef", "name"))
                .isEqualTo(at(secret, "metadata", "name"));
        Map<String, Object> data = at(secret, "stringData");
        assertThat(data).containsKeys("DUKEQUEUE_DB_URL", "DUKEQUEUE_DB_USER", "DUKEQUEUE_DB_PASSWORD",
                "DUKEQUEUE_ADMIN_PASSWORD");
        assertThat((String) data.get("DUKEQUEUE_DB_URL")).startsWith("jdbc:postgresql://");
        Map<String, Object> service = kind(docs, "Service");
        assertThat((Map<String, Object>) at(service, "spec", "selector"))
                .isEqualTo(at(kind(docs, "Deployment"), "spec", "selector", "matchLabels"));
    }
}
