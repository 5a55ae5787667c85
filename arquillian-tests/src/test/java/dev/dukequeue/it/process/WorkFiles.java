package dev.dukequeue.it.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes what a test's processes leave on disk. A node killed with SIGKILL leaves Payara Micro's unpacked runtime
 * (about 100 MB) behind, and a PostgreSQL data directory is tens of MB: the suite runs dozens of them, so each is
 * deleted when its owner is done with it (logs are kept) and a run never fills the disk.
 */
public final class WorkFiles {

    private WorkFiles() {
    }

    /** Deletes {@code root} and everything under it; nothing happens if it does not exist. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
