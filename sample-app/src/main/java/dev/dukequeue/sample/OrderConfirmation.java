package dev.dukequeue.sample;

/**
 * The payload of a {@code sample.order-confirmation} job (JSON-B maps it to and from the job's JSON).
 *
 * @param orderId  the order
 * @param customer whom to confirm it to
 */
public record OrderConfirmation(String orderId, String customer) {
}
