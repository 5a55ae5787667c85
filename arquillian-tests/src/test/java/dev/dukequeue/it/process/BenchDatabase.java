package dev.dukequeue.it.process;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The benchmark's database, reached with plain JDBC: statements, counts, the database clock and its WAL position. */
final class BenchDatabase {

    private final String url;

    BenchDatabase(String url) {
        this.url = url;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** @return a connection whose JDBC batches of inserts go as multi-row INSERTs (as DukeQueue's data source sends them) */
    Connection connectRewritingBatches() throws SQLException {
        return DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String text(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    Instant instant(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** @return the database's time now (not its transaction's start) */
    Instant now() throws SQLException {
        return instant("SELECT clock_timestamp()");
    }

    String walPosition() throws SQLException {
        return text("SELECT pg_current_wal_lsn()");
    }

    /** @return bytes of write-ahead log written since {@code position} (everything on the server: the work measured) */
    long walBytesSince(String position) throws SQLException {
        return count("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + position + "')::bigint");
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String runs(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return b.append("]").toString();
    }
}
