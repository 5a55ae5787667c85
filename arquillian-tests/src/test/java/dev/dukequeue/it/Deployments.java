package dev.dukequeue.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds every deployment of the integration tests: the real {@code dukequeue.war} the build produced, plus this
 * module's test classes and handlers, the test libraries they use inside the server, and a MicroProfile Config file.
 */
public final class Deployments {

    /** The REST password the deployments are configured with. */
    public static final String VIEWER_PASSWORD = "it-viewer-secret";
    public static final String ADMIN_PASSWORD = "it-secret";

    private Deployments() {
    }

    /** Settings shared by every test deployment: short leases and backoffs so that tests wait seconds, not minutes. */
    public static Map<String, String> fastEngine(String nodeName) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("dukequeue.node.name", nodeName);
        config.put("dukequeue.demo.enabled", "true");
        config.put("dukequeue.admin.password", ADMIN_PASSWORD);
        config.put("dukequeue.viewer.password", VIEWER_PASSWORD);
        config.put("dukequeue.workers", "4");
        config.put("dukequeue.poll.interval.ms", "200");
        config.put("dukequeue.lease.duration.ms", "3000");
        config.put("dukequeue.heartbeat.interval.ms", "500");
        config.put("dukequeue.rescuer.interval.ms", "500");
        config.put("dukequeue.retry.backoff.base.ms", "50");
        config.put("dukequeue.retry.backoff.max.ms", "400");
        config.put("dukequeue.payload.max.bytes", "65536");
        config.put("dukequeue.queue.tiny.max-waiting", "2");
        config.put("dukequeue.node.queue-workers", "solo=1");
        config.put("dukequeue.submit.batch.max", "1000");
        config.put("dukequeue.stats.interval.ms", "1000"); // activity rows for the charts every second
        config.put("dukequeue.retention.cron", "0 0 1 1 *"); // registered, but never due during a test run
        config.put("dukequeue.reindex.cron", "0 0 1 1 *"); // likewise (registered on PostgreSQL only)
        // A recurring job from the configuration; yearly, so it never fires during a test run.
        config.put("dukequeue.recurring", "it-yearly");
        config.put("dukequeue.recurring.it-yearly.cron", "0 3 1 1 *");
        config.put("dukequeue.recurring.it-yearly.zone", "Europe/Paris");
        config.put("dukequeue.recurring.it-yearly.type", "test.count");
        config.put("dukequeue.recurring.it-yearly.queue", "yearly");
        return config;
    }

    /** A fresh H2 file database for one deployment. */
    public static String freshDataDir(String name) {
        Path dir = Path.of(System.getProperty("dukequeue.it.dir", "target/it"), name + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.toAbsolutePath().toString();
    }

    public static WebArchive dukequeue(Map<String, String> config) {
        File war = new File(System.getProperty("dukequeue.war", "target/dukequeue.war"));
        if (!war.isFile()) {
            throw new IllegalStateException("the WAR under test is missing: " + war.getAbsolutePath()
                    + " (run the build through the pre-integration-test phase)");
        }
        // The WAR's own defaults (mp.openapi.filter) first: the test's settings are added to them, not put instead.
        StringBuilder properties = new StringBuilder(warDefaults(war)).append('\n');
        config.forEach((k, v) -> properties.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war)
                // Client-side helpers (embedded databases, server processes) never go into the server, nor do the
                // connector test's applications (their beans bind to dukequeue.rar, which these deployments lack).
                .addPackages(true, Filters.exclude(".*/EmbeddedDatabases.*|.*/process/.*|.*/connector/.*"),
                        "dev.dukequeue.it")
                .addAsResource(new StringAsset(properties.toString()), "META-INF/microprofile-config.properties")
                .addAsLibraries(jarOf(org.assertj.core.api.Assertions.class), jarOf(org.awaitility.Awaitility.class),
                        jarOf(org.hamcrest.Matcher.class));
    }

    /** @return the WAR's {@code META-INF/microprofile-config.properties}, or nothing */
    private static String warDefaults(File war) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(war)) {
            java.util.zip.ZipEntry entry = zip.getEntry("WEB-INF/classes/META-INF/microprofile-config.properties");
            if (entry == null) {
                return "";
            }
            try (java.io.InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + war, e);
        }
    }

    static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
