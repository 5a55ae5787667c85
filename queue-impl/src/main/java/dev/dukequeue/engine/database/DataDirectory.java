package dev.dukequeue.engine.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The node's data directory ({@code dukequeue.data.dir}, default {@code ./data}): the embedded H2 database with every
 * job's payload and result, the generated admin password, Payara Micro's runtime. Readable by its owner only: H2
 * creates its files with the process's umask (0644 under the usual 022), so the directory is what keeps other local
 * users out of the payloads. The runnable jar's launcher creates it the same way before Payara Micro starts.
 */
public final class DataDirectory {

    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} (and its missing parents) with permissions {@code rwx------}; if it exists and grants
     * anything to its group or to others, takes that away and logs a warning saying so (a warning too if it cannot:
     * a directory of another user, a volume mounted read-only). On a file system without POSIX permissions it only
     * creates the directory.
     *
     * @return the directory, absolute
     * @throws IOException if it cannot be created
     */
    public static Path ensure(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            try {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(d);
            }
            return d;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(d, PosixFileAttributeView.class);
        if (view == null) {
            return d;
        }
        Set<PosixFilePermission> now = view.readAttributes().permissions();
        if (OWNER_ONLY.containsAll(now)) {
            return d;
        }
        Set<PosixFilePermission> ownerOnly = EnumSet.noneOf(PosixFilePermission.class);
        now.stream().filter(OWNER_ONLY::contains).forEach(ownerOnly::add);
        String was = PosixFilePermissions.toString(now);
        try {
            view.setPermissions(ownerOnly);
            LOG.warning(() -> "DukeQueue data directory " + d + " was open to other users (" + was + "); now "
                    + PosixFilePermissions.toString(ownerOnly) + ": it holds the job payloads and the admin password");
        } catch (IOException e) {
            LOG.warning(() -> "DukeQueue data directory " + d + " is open to other users (" + was + ") and could not be"
                    + " restricted to its owner (" + e + "): it holds the job payloads and the admin password");
        }
        return d;
    }
}
