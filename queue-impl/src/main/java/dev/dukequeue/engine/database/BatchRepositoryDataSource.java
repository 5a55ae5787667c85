package dev.dukequeue.engine.database;

/**
 * The data source of Payara's Jakarta Batch job repository in the runnable jar (a server-level pool created by its
 * post-boot commands, so this class is also on the server's class path). On PostgreSQL and MariaDB it is DukeQueue's
 * own database: the batch tables ({@code jbatch...}) live next to {@code dq_job}, every node sees every execution, and
 * a batch execution orphaned by a dead node can be restarted on another. On H2 it is a file of its own,
 * {@code <data dir>/batch-repository}: one JVM cannot open DukeQueue's H2 file with a second H2 engine.
 */
public class BatchRepositoryDataSource extends ConfiguredDataSource {

    @Override
    protected String embeddedFile() {
        return "batch-repository";
    }

    @Override
    protected boolean usesConfiguredH2() {
        return false;
    }
}
