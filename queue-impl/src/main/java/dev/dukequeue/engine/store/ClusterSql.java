package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.SqlDialect;

/**
 * Every native statement on the cluster tables ({@code dq_node}, {@code dq_stat}), named, rendered once per dialect.
 * Only {@link ClusterStore} uses them; {@code SqlCatalogueTest} fails when a statement is written anywhere else.
 */
final class ClusterSql {

    final String touchNode;
    final String insertNode;
    final String selectNodes;
    final String runningByOwner = "SELECT lease_owner, COUNT(*) FROM dq_job WHERE state = 'RUNNING' GROUP BY lease_owner";
    final String insertStat = "INSERT INTO dq_stat (node, sampled_at, queue, submitted, completed, failed,"
            + " dead_lettered, waiting, running) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    final String databaseTime;
    final String selectStatsSince = "SELECT node, sampled_at, queue, submitted, completed, failed, dead_lettered,"
            + " waiting, running FROM dq_stat WHERE sampled_at >= ? ORDER BY sampled_at";
    final String deleteOldStats;
    final String deleteOldNodes;
    final String smallestAliveName;

    ClusterSql(SqlDialect d) {
        String now = d.now();
        touchNode = "UPDATE dq_node SET phase = ?, workers = ?, heartbeat_at = " + now + " WHERE owner = ?";
        insertNode = "INSERT INTO dq_node (owner, name, phase, workers, started_at, heartbeat_at) VALUES (?, ?, ?, ?, "
                + now + ", " + now + ")";
        selectNodes = "SELECT owner, name, phase, workers, started_at, heartbeat_at FROM dq_node ORDER BY name, started_at";
        databaseTime = "SELECT " + now;
        deleteOldStats = "DELETE FROM dq_stat WHERE sampled_at < " + d.plusMillisParam(now);
        deleteOldNodes = "DELETE FROM dq_node WHERE heartbeat_at < " + d.plusMillisParam(now);
        smallestAliveName = "SELECT MIN(name) FROM dq_node WHERE phase <> 'STOPPED' AND heartbeat_at >= "
                + d.plusMillisParam(now);
    }
}
