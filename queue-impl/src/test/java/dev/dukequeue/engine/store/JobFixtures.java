package dev.dukequeue.engine.store;

import dev.dukequeue.JobRequest;

/** Shared test builders. */
final class JobFixtures {

    static final String TYPE = "test.work";

    private JobFixtures() {
    }

    /** @return a request for a due job of the test type with default settings */
    static JobRequest.Builder aJob() {
        return JobRequest.builder(TYPE).payloadJson("{\"n\":1}");
    }
}
