package dev.dukequeue.web.rest;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An unexpected failure of a request: logged once, with its stack trace, under a fresh error id; the client gets the
 * id only (never the trace or the exception's message, which may name internals), so that an operator can find the
 * log line the client quotes.
 */
final class InternalErrors {

    static final Logger LOG = Logger.getLogger(InternalErrors.class.getName());

    private InternalErrors() {
    }

    /**
     * @param failure what went wrong
     * @param request the request it failed, for the log ({@code POST /dukequeue/api/v1/jobs})
     * @return the error id, in the log line too
     */
    static String record(Throwable failure, String request) {
        String id = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, failure, () -> "error id " + id + ": " + request + " failed unexpectedly");
        return id;
    }

    /** @return the message of the answer: what happened and the error id to quote */
    static String message(String id) {
        return "the request failed unexpectedly: error id " + id + " (the server's log has the details under this id)";
    }
}
