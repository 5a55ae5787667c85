package dev.dukequeue.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The whole behaviour suite on PostgreSQL (embedded binaries started by the test, no installation). */
class PostgresQueueIT extends RestApiBehaviour {

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-postgresql");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("pg"));
        config.put("dukequeue.db.url", EmbeddedDatabases.postgresUrl());
        return Deployments.dukequeue(config);
    }
}
