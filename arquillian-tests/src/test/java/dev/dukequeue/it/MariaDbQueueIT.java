package dev.dukequeue.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The whole behaviour suite on MariaDB (embedded binaries started by the test, no installation). */
class MariaDbQueueIT extends RestApiBehaviour {

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-mariadb");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("mariadb"));
        config.put("dukequeue.db.url", EmbeddedDatabases.mariadbUrl());
        return Deployments.dukequeue(config);
    }
}
