package dev.dukequeue.it.process;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * An embedded PostgreSQL (binaries from Maven) with PostgreSQL's default durability (fsync, synchronous commit and full
 * page writes on) on a fixed port and data directory, so that it can be stopped and started again with its data, like
 * a database server restart, or killed like a power loss.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres postgres;

    private RestartablePostgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** @return a database on {@code port}, not started */
    public static RestartablePostgres on(int port, Path dataDir) {
        return new RestartablePostgres(port, dataDir);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RestartablePostgres start() {
        try {
            // zonky turns fsync and synchronous_commit off: a power-loss test (and a benchmark) needs PostgreSQL's
            // real defaults, so every start sets them back; the crash test checks them on the running server.
            postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false).setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "300")
                    // XA pools (the resource adapter's two-database test) prepare their branches
                    .setServerConfig("max_prepared_transactions", "64").start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port, e);
        }
        return this;
    }

    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = null;
        }
    }

    /**
     * Kills the database server as a power loss would (kill -9 of the postmaster and every backend): what was in its
     * shared memory and not yet written out is lost, such as WAL of commits that did not wait for their flush.
     * {@link #start()} then runs crash recovery.
     */
    void crash() {
        if (postgres == null) {
            return;
        }
        try {
            long pid = Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            java.util.List<ProcessHandle> all = new java.util.ArrayList<>(postmaster.descendants().toList());
            all.add(0, postmaster);
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : all) {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not kill PostgreSQL", e);
        }
        try {
            postgres.close(); // its server is gone; this only lets go of the data directory
        } catch (IOException | RuntimeException expected) {
            // pg_ctl stop finds no server
        }
        postgres = null;
    }

    /** Stops and starts the database server, keeping its data: every open connection breaks. */
    void restart() {
        stop();
        start();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** @return the running server's value of {@code setting} ({@code SHOW}) */
    String show(String setting) throws SQLException {
        try (Connection c = connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Stops the server for good and deletes its data directory. */
    @Override
    public void close() {
        stop();
        WorkFiles.deleteTree(dataDir);
    }
}
