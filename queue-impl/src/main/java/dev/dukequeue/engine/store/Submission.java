package dev.dukequeue.engine.store;

import dev.dukequeue.JobReceipt;
import java.util.List;

/**
 * What the store made of a submission: the receipts, or the rule a request broke. (No API exception crosses the
 * store's EJB boundary; the caller turns a rejection into one.)
 *
 * @param receipts one per request, in request order; empty when rejected
 * @param field    the field that broke a rule, or null
 * @param rule     the rule it broke, or null
 * @param wrote    true if rows were written before the rejection was found: the caller must roll its transaction back
 */
public record Submission(List<JobReceipt> receipts, String field, String rule, boolean wrote) {

    static Submission accepted(List<JobReceipt> receipts) {
        return new Submission(receipts, null, null, true);
    }

    static Submission rejected(String field, String rule, boolean wrote) {
        return new Submission(List.of(), field, rule, wrote);
    }

    /** @return true if the store refused the submission */
    public boolean rejected() {
        return field != null;
    }
}
