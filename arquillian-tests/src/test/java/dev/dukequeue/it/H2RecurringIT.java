package dev.dukequeue.it;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Recurring jobs through the submission rules, on the embedded H2 file database only (one more server start). */
class H2RecurringIT extends RecurringBehaviour {

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-h2-recurring");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("h2-recurring"));
        return Deployments.dukequeue(config);
    }
}
