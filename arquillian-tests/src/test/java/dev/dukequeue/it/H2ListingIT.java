package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.JobQueue;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import dev.dukequeue.engine.read.JobFilter;
import dev.dukequeue.engine.read.JobSearch;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listing of every state reads the RUNNING rows and the others apart (an index the claims keep small on
 * PostgreSQL), each read its own snapshot: a job leaving RUNNING between the reads must still be listed. Runs in the
 * server on H2 (found by CI: ApiInputIT's listing of one just-submitted job came back empty once).
 */
@ExtendWith(ArquillianExtension.class)
class H2ListingIT {

    private static final int JOBS = 200;

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-h2-listing");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("h2-listing"));
        return Deployments.dukequeue(config);
    }

    @Inject
    JobQueue queue;

    @Inject
    JobSearch search;

    @Test
    void aListingWhileJobsRunAndEndShowsEveryJobExactlyOnce() {
        String name = "listing-" + UUID.randomUUID().toString().substring(0, 8);
        JobFilter filter = new JobFilter(null, null, name);
        // The first listing of a fresh deployment pays for the read model's start (over a second on a busy CI
        // machine: once the jobs had all ended before it answered, and no listing saw one running). Pay it first.
        assertThat(search.list(filter, JobSearch.MAX_LIMIT, null).items()).isEmpty();
        List<JobRequest> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            // 0 to 120 ms each, 60 on average: about 3 s of work for the 4 workers, many listings long.
            jobs.add(JobRequest.builder("demo.sleep").queue(name).payloadJson("{\"ms\":" + (i % 5) * 30 + "}").build());
        }
        queue.submitAll(jobs);
        int listings = 0;
        int sawRunning = 0;
        // List while the node runs them (a few seconds), until every one has ended.
        while (true) {
            List<JobView> page = search.list(filter, JobSearch.MAX_LIMIT, null).items();
            listings++;
            assertThat(page).as("listing %d", listings).hasSize(JOBS);
            assertThat(page.stream().map(JobView::id).distinct()).hasSize(JOBS);
            long running = page.stream().filter(v -> v.state() == JobState.RUNNING).count();
            sawRunning += running > 0 ? 1 : 0;
            if (page.stream().allMatch(v -> v.state() == JobState.COMPLETED)) {
                break;
            }
            assertThat(listings).as("the jobs end").isLessThan(100_000);
        }
        assertThat(sawRunning).as("some listings were taken while jobs ran").isPositive();
    }
}
