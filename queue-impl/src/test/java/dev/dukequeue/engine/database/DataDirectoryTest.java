package dev.dukequeue.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(DataDirectory.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    private static String permissions(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Path directory(String name, String permissions) throws IOException {
        Path d = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(permissions));
        return d;
    }

    @Test
    void aNewDataDirectoryAndItsMissingParentsAreReadableByTheirOwnerOnly() throws IOException {
        Path data = DataDirectory.ensure(tmp.resolve("srv").resolve("data"));
        assertThat(data).isAbsolute().isDirectory();
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(data.getParent())).isEqualTo("rwx------");
        assertThat(warnings).isEmpty();
    }

    @Test
    void anExistingDirectoryOpenToOthersLosesTheirPermissionsAndTheChangeIsLogged() throws IOException {
        Path data = directory("data", "rwxr-xr-x");
        Files.writeString(data.resolve("dukequeue.mv.db"), "payloads");
        DataDirectory.ensure(data);
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(data.resolve("dukequeue.mv.db")).hasContent("payloads");
        assertThat(warnings).singleElement().asString().contains(data.toString(), "rwxr-xr-x", "rwx------",
                "payloads");
    }

    @Test
    void theOwnersOwnPermissionsAreKeptOnlyGroupAndOthersAreTakenAway() throws IOException {
        Path data = directory("data", "r-xrwx---");
        DataDirectory.ensure(data);
        assertThat(permissions(data)).isEqualTo("r-x------");
    }

    @Test
    void aDirectoryAlreadyOwnerOnlyIsLeftAsItIsWithoutAWarning() throws IOException {
        Path data = directory("data", "rwx------");
        DataDirectory.ensure(data);
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("data"), "not a directory");
        assertThatThrownBy(() -> DataDirectory.ensure(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }
}
