package dev.dukequeue.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The whole behaviour suite on the embedded H2 file database, the default of the runnable jar. */
class H2QueueIT extends RestApiBehaviour {

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-h2");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("h2"));
        return Deployments.dukequeue(config);
    }
}
