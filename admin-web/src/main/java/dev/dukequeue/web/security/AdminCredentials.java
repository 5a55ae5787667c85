package dev.dukequeue.web.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API's credentials. {@code admin}'s password comes from {@code dukequeue.admin.password}
 * ({@code DUKEQUEUE_ADMIN_PASSWORD}); without it, one is generated at first start and kept in
 * {@code <data dir>/admin-password}, readable by its owner only, and the file's path is logged (never the password).
 * A read-only {@code viewer} exists when {@code dukequeue.viewer.password} is set.
 */
@ApplicationScoped
public class AdminCredentials {

    private static final Logger LOG = Logger.getLogger(AdminCredentials.class.getName());
    static final String FILE_NAME = "admin-password";

    @Inject
    @ConfigProperty(name = "dukequeue.admin.password")
    Optional<String> configuredAdmin;

    @Inject
    @ConfigProperty(name = "dukequeue.viewer.password")
    Optional<String> configuredViewer;

    @Inject
    @ConfigProperty(name = "dukequeue.data.dir", defaultValue = "data")
    String dataDir;

    private byte[] admin;
    private byte[] viewer;

    @PostConstruct
    void load() {
        String adminPassword = configuredAdmin.filter(p -> !p.isBlank()).orElseGet(this::storedOrGenerated);
        admin = adminPassword.getBytes(StandardCharsets.UTF_8);
        viewer = configuredViewer.filter(p -> !p.isBlank()).map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Loads (or generates) the password at deployment, so that its file's path is logged at start-up. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // touching the bean runs @PostConstruct
        rolesFor("", "");
    }

    private String storedOrGenerated() {
        Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                LOG.info(() -> "DukeQueue admin password: read from " + file);
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // The data directory, if this is its first use, readable by its owner only (the engine's DataDirectory
            // also restricts one that exists; the web module does not reach the engine's classes).
            try {
                Files.createDirectories(file.getParent(),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(file.getParent());
            }
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            LOG.warning(() -> "DukeQueue admin password generated (no DUKEQUEUE_ADMIN_PASSWORD set): user 'admin', "
                    + "password in " + file + " (readable by its owner only)");
            return password;
        } catch (FileAlreadyExistsException raced) {
            return storedOrGenerated();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin password file " + file, e);
        }
    }

    /** @return the caller's roles, empty if the credentials are wrong */
    public Set<String> rolesFor(String user, String password) {
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        if ("admin".equals(user) && MessageDigest.isEqual(admin, given)) {
            return Set.of("admin", "viewer");
        }
        if ("viewer".equals(user) && viewer != null && MessageDigest.isEqual(viewer, given)) {
            return Set.of("viewer");
        }
        return Set.of();
    }
}
