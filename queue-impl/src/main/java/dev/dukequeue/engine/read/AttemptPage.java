package dev.dukequeue.engine.read;

import java.util.List;

/**
 * One page of a job's executions, oldest first.
 *
 * @param items      the executions
 * @param nextCursor pass it back to get the next page; null on the last page
 */
public record AttemptPage(List<AttemptView> items, String nextCursor) {

    public AttemptPage {
        items = List.copyOf(items);
    }
}
