package dev.dukequeue;

/**
 * A job request broke a rule: thrown before anything is written, so nothing of the request is persisted.
 * It does not mark the caller's transaction for rollback.
 */
public class InvalidJobRequestException extends JobQueueException {

    private final String field;
    private final String rule;

    /**
     * @param field the request field at fault, as named in the REST API (for example {@code priority})
     * @param rule  the rule it broke, as a sentence fragment (for example {@code must be between 0 and 4})
     */
    public InvalidJobRequestException(String field, String rule) {
        super(field + " " + rule);
        this.field = field;
        this.rule = rule;
    }

    /** @return the request field at fault */
    public String field() {
        return field;
    }

    /** @return the rule the field broke */
    public String rule() {
        return rule;
    }
}
