package dev.dukequeue;

/**
 * A payload is larger than the queue accepts ({@code dukequeue.payload.max.bytes}, UTF-8 bytes). Rejected before
 * anything is written; the REST API answers 413.
 */
public class PayloadTooLargeException extends InvalidJobRequestException {

    public PayloadTooLargeException(String field, String rule) {
        super(field, rule);
    }
}
