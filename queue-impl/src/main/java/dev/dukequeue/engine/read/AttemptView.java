package dev.dukequeue.engine.read;

import java.time.Instant;

/**
 * One execution of a job, for its history.
 *
 * @param runNo      the execution's number (every claim counts, re-drives included)
 * @param attempt    the attempt number it used (reset by a re-drive)
 * @param node       the node incarnation that ran it
 * @param startedAt  when it was claimed
 * @param finishedAt when it ended, or null while it runs
 * @param outcome    how it ended, or null while it runs
 * @param category   the error category, if it failed
 * @param message    the error message, if it failed
 * @param stackTrace the stack trace, if the handler threw
 */
public record AttemptView(int runNo, int attempt, String node, Instant startedAt, Instant finishedAt, String outcome,
        String category, String message, String stackTrace) {
}
