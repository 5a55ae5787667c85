package dev.dukequeue.it.handlers;

import dev.dukequeue.JobRequest;
import dev.dukequeue.RecurringJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** A recurring job defined in code, as an application would; yearly, so it never fires during a test run. */
@ApplicationScoped
public class RecurringDefinitions {

    @Produces
    RecurringJob yearlyFromCode() {
        return RecurringJob.of("it-code-yearly", "@yearly", JobRequest.builder("test.count").queue("yearly").build());
    }
}
