package dev.dukequeue.engine.read;

import dev.dukequeue.JobView;
import java.util.List;

/**
 * One page of a job listing, newest first.
 *
 * @param items      the jobs
 * @param nextCursor pass it back to get the next page; null on the last page
 */
public record JobPage(List<JobView> items, String nextCursor) {

    public JobPage {
        items = List.copyOf(items);
    }
}
