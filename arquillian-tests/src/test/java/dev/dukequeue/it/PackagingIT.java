package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The demo handlers ({@code queue-demo}) travel in {@code dukequeue.war}, and so in the runnable jar and the
 * integration tests' deployments, never in the EAR for a full server. Reads the archives the build made, nested
 * archives included (no server).
 */
class PackagingIT {

    private static final String DEMO_CLASS = "dev/dukequeue/demo/EchoHandler.class";
    private static final String DEMO_BATCH_JOB = "META-INF/batch-jobs/dukequeue-demo-batch.xml";

    @Test
    void theWarCarriesTheDemoHandlers() throws IOException {
        List<String> war = entries(Path.of(System.getProperty("dukequeue.war", "target/dukequeue.war")));
        assertThat(war).anyMatch(e -> e.matches("WEB-INF/lib/queue-demo-[^/]*\\.jar!/" + DEMO_CLASS))
                .anyMatch(e -> e.matches("WEB-INF/lib/queue-demo-[^/]*\\.jar!/" + DEMO_BATCH_JOB))
                .anyMatch(e -> e.matches("WEB-INF/lib/queue-impl-[^/]*\\.jar!/dev/dukequeue/engine/config/"
                        + "DemoHandler.class"));
    }

    @Test
    void theRunnableJarCarriesTheDemoHandlers() throws IOException {
        List<String> jar = entries(Path.of(System.getProperty("dukequeue.jar", "../admin-web/target/dukequeue.jar")));
        assertThat(jar).anyMatch(e -> e.matches(".*dukequeue\\.war!/WEB-INF/lib/queue-demo-[^/]*\\.jar!/" + DEMO_CLASS));
    }

    @Test
    void theRunnableJarsServerClassPathCarriesTheDataSourcesAndWhatTheyUse() throws IOException {
        // The batch repository's server-level pool is made of these before the application exists: a class they use
        // that is missing here fails only at run time (NoClassDefFoundError in a post-boot command).
        List<String> jar = entries(Path.of(System.getProperty("dukequeue.jar", "../admin-web/target/dukequeue.jar")));
        for (String used : List.of("ConfiguredDataSource", "BatchRepositoryDataSource", "DataDirectory")) {
            assertThat(jar).anyMatch(e -> e.matches("MICRO-INF/lib/queue-impl-[^/]*-datasource\\.jar!/dev/dukequeue/"
                    + "engine/database/" + used + "\\.class"));
        }
    }

    @Test
    void everyProgramTheBuildRunsIsTheJdksThatRunsMavenNotTheOneOnThePath() throws IOException {
        // ./mvnw runs Maven on JAVA_HOME's JDK; a bare "java" would take the PATH's, another version or none.
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        List<String> executables = new ArrayList<>();
        try (var poms = Files.walk(root, 2)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml")).toList()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("<executable>([^<]*)</executable>")
                        .matcher(Files.readString(pom));
                while (m.find()) {
                    executables.add(root.relativize(pom) + ": " + m.group(1));
                }
            }
        }
        // The one shell step (container-image's rootfs.sh) is not a JDK program: it is given ${java.home} and runs
        // jlink from there (checked below), never the PATH's.
        assertThat(executables).isNotEmpty()
                .allSatisfy(e -> assertThat(e).satisfiesAnyOf(x -> assertThat(x).contains(": ${java.home}/bin/"),
                        x -> assertThat(x).isEqualTo("container-image/pom.xml: bash")));
        assertThat(Files.readString(root.resolve("container-image/pom.xml")))
                .contains("<argument>${project.basedir}/rootfs.sh</argument>\n                                <argument>${java.home}</argument>");
        assertThat(Files.readString(root.resolve("container-image/rootfs.sh"))).contains("\"$jdk/bin/jlink\"");
    }

    @Test
    void theEarHasNoDemoHandlers() throws IOException {
        List<String> ear = entries(Path.of(System.getProperty("dukequeue.ear", "target/dukequeue.ear")));
        // The engine's classes are seen inside the nested module: the check below looks where the demo could hide.
        assertThat(ear).contains("queue-impl.jar!/dev/dukequeue/engine/config/DemoHandler.class",
                "admin-web.war!/WEB-INF/classes/dev/dukequeue/web/rest/JobsResource.class");
        assertThat(ear).noneMatch(e -> e.contains("queue-demo") || e.contains("dev/dukequeue/demo/")
                || e.endsWith(DEMO_BATCH_JOB));
    }

    @Test
    void theRarCarriesTheAdapterTheApiAndTheEngineAndNeitherDemoHandlersNorDrivers() throws IOException {
        Path rar = Path.of(System.getProperty("dukequeue.rar", "target/dukequeue.rar"));
        List<String> entries = entries(rar);
        assertThat(entries).contains("META-INF/ra.xml")
                .anyMatch(e -> e.endsWith(".jar!/dev/dukequeue/connector/DukeQueueResourceAdapter.class"))
                .anyMatch(e -> e.matches("queue-api-[^/]*\\.jar!/dev/dukequeue/JobListener\\.class"))
                .anyMatch(e -> e.matches("queue-impl-[^/]*\\.jar!/dev/dukequeue/engine/host/StandaloneEngine\\.class"));
        // The server's JDBC resource brings the driver; a second copy in the adapter's class loader would clash.
        assertThat(entries).noneMatch(e -> e.contains("queue-demo") || e.contains("dev/dukequeue/demo/")
                || e.matches("(postgresql|h2|mariadb-java-client)-[^/]*\\.jar"));
    }

    @Test
    void everyClassTheRaXmlNamesIsInTheRar() throws IOException {
        Path rar = Path.of(System.getProperty("dukequeue.rar", "target/dukequeue.rar"));
        List<String> entries = entries(rar);
        String raXml;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(rar.toFile())) {
            raXml = new String(zip.getInputStream(zip.getEntry("META-INF/ra.xml")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<(?:[a-z-]+-class|[a-z]+-interface|messagelistener-type)>\\s*([\\w.$]+)\\s*<").matcher(raXml);
        List<String> named = new ArrayList<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).as("class names in ra.xml").hasSizeGreaterThanOrEqualTo(8);
        for (String className : named) {
            String file = className.replace('.', '/') + ".class";
            assertThat(entries).as(className + " named by ra.xml").anyMatch(e -> e.endsWith(".jar!/" + file));
        }
    }

    /**
     * @return every entry of the archive, and of the web, enterprise and library archives in it, as
     *         {@code outer!/inner} (the runnable jar's own Payara libraries are not opened)
     */
    private static List<String> entries(Path archive) throws IOException {
        assertThat(archive).as("built by the package phase").isRegularFile();
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(archive)) {
            read(in, "", archive.toString().endsWith(".jar"), names);
        }
        return names;
    }

    private static void read(InputStream in, String prefix, boolean warsOnly, List<String> names) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            String name = e.getName();
            names.add(prefix + name);
            // In the runnable jar: the application and DukeQueue's own server library, not Payara's hundred jars.
            boolean nested = warsOnly ? name.endsWith(".war") || name.endsWith("-datasource.jar")
                    : name.endsWith(".jar") || name.endsWith(".war") || name.endsWith(".ear");
            if (nested) {
                read(new NonClosing(zip), prefix + name + "!/", false, names);
            }
        }
    }

    /** A nested archive's stream: reading it to its end must not close the outer one. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
