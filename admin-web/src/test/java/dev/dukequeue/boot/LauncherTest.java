package dev.dukequeue.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    private static final Properties NONE = new Properties();

    @Test
    void dukequeuePortBecomesPayaraMicrosPortAndTheRuntimeGoesUnderTheDataDirectoryWithoutPhoneHome() {
        List<String> cmd = Launcher.arguments(List.of("--nocluster"),
                Map.of("DUKEQUEUE_PORT", " 18081 ", "DUKEQUEUE_DATA_DIR", "/srv/dq"), NONE);
        assertThat(cmd).containsExactly("--port", "18081", "--rootdir", "/srv/dq/payara-runtime", "--disablephonehome",
                "--nocluster");
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentAndTheSystemPropertyOverTheDataDirectoryVariable() {
        Properties p = new Properties();
        p.setProperty("dukequeue.data.dir", "/var/lib/dq");
        assertThat(Launcher.arguments(List.of("--port", "9000"), Map.of("DUKEQUEUE_PORT", "18081",
                "DUKEQUEUE_DATA_DIR", "/srv/dq"), p))
                .containsExactly("--rootdir", "/var/lib/dq/payara-runtime", "--disablephonehome", "--port", "9000");
        assertThat(Launcher.arguments(List.of("--rootDir", "/x", "--disablePhoneHome"), Map.of(), NONE))
                .containsExactly("--rootDir", "/x", "--disablePhoneHome");
    }

    @Test
    void withoutSettingsPayaraKeepsItsPortAndTheRuntimeIsUnderDotSlashData() {
        assertThat(Launcher.arguments(List.of(), Map.of(), NONE)).containsExactly("--rootdir",
                Path.of("data").toAbsolutePath().resolve("payara-runtime").toString(), "--disablephonehome");
    }

    @Test
    void aPortThatIsNotAPortNumberIsRefusedNamingTheVariable() {
        for (String bad : List.of("0", "65536", "80x", "99999999999")) {
            assertThatThrownBy(() -> Launcher.arguments(List.of(), Map.of("DUKEQUEUE_PORT", bad), NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DUKEQUEUE_PORT")
                    .hasMessageContaining(bad);
        }
        assertThat(Launcher.arguments(List.of(), Map.of("DUKEQUEUE_PORT", "65535"), NONE)).startsWith("--port", "65535");
        assertThat(Launcher.arguments(List.of(), Map.of("DUKEQUEUE_PORT", "1"), NONE)).startsWith("--port", "1");
    }

    @Test
    void theDataDirectoryIsCreatedReadableByItsOwnerOnlyAndAnExistingOneIsLeftToTheEngine(@TempDir Path tmp)
            throws Exception {
        Path data = tmp.resolve("a").resolve("data");
        Launcher.createOwnerOnly(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        Path open = Files.createDirectory(tmp.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Launcher.createOwnerOnly(open);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void jsonLogsGivePayaraMicroItsOwnLoggingConfigurationWithItsJsonFormatterUnlessTheCommandLineNamesOne() {
        java.util.Properties json = new java.util.Properties();
        json.setProperty("dukequeue.log.format", "json");
        json.setProperty("dukequeue.data.dir", "/srv/dq");
        assertThat(Launcher.arguments(List.of(), Map.of(), json)).containsSubsequence("--logproperties",
                "/srv/dq/logging-json.properties");
        assertThat(Launcher.arguments(List.of(), Map.of("DUKEQUEUE_LOG_FORMAT", "JSON"), NONE))
                .contains("--logproperties");
        assertThat(Launcher.arguments(List.of("--logProperties", "/etc/mine.properties"),
                Map.of("DUKEQUEUE_LOG_FORMAT", "json"), NONE)).containsOnlyOnce("/etc/mine.properties")
                .doesNotContain("--logproperties");
        assertThat(Launcher.arguments(List.of(), Map.of("DUKEQUEUE_LOG_FORMAT", "text"), NONE))
                .doesNotContain("--logproperties");
        assertThatThrownBy(() -> Launcher.arguments(List.of(), Map.of("DUKEQUEUE_LOG_FORMAT", "xml"), NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DUKEQUEUE_LOG_FORMAT")
                .hasMessageContaining("text or json");
    }

    @Test
    void theJsonConfigurationIsPayaraMicrosOwnWithEveryFormatterReplaced(@TempDir Path tmp) throws Exception {
        String micro = "handlers=java.util.logging.ConsoleHandler\n"
                + "java.util.logging.ConsoleHandler.formatter=com.sun.enterprise.server.logging.ODLLogFormatter\n"
                + "# a.formatter=kept as a comment\n"
                + "com.sun.enterprise.server.logging.GFFileHandler.formatter=x.Y\n.level=INFO\n";
        String json = JsonLogging.withJsonFormatter(micro);
        assertThat(json).contains("handlers=java.util.logging.ConsoleHandler\n", ".level=INFO\n",
                "# a.formatter=kept as a comment\n",
                "java.util.logging.ConsoleHandler.formatter=" + JsonLogging.FORMATTER + "\n",
                "com.sun.enterprise.server.logging.GFFileHandler.formatter=" + JsonLogging.FORMATTER + "\n")
                .doesNotContain("ODLLogFormatter", "x.Y");
        assertThat(JsonLogging.withJsonFormatter("handlers=java.util.logging.ConsoleHandler\n"))
                .as("a configuration without a console formatter gets one")
                .contains("java.util.logging.ConsoleHandler.formatter=" + JsonLogging.FORMATTER);
        Path file = tmp.resolve("logging.properties");
        JsonLogging.write(file);
        assertThat(java.nio.file.Files.readString(file)).contains("handlers=")
                .contains("java.util.logging.ConsoleHandler.formatter=" + JsonLogging.FORMATTER);
    }
}
