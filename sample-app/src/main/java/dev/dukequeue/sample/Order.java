package dev.dukequeue.sample;

import java.util.Objects;

/**
 * An order as the sample stores it.
 *
 * @param id       the caller's id for it (also the job's idempotency key: a retried call submits no second job)
 * @param customer who placed it (1..100 characters)
 * @param cents    its amount in cents (positive)
 */
public record Order(String id, String customer, long cents) {

    public Order {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || id.length() > 64) {
            throw new IllegalArgumentException("id must be 1..64 characters");
        }
        if (customer == null || customer.isBlank() || customer.length() > 100) {
            throw new IllegalArgumentException("customer must be 1..100 characters");
        }
        if (cents <= 0) {
            throw new IllegalArgumentException("cents must be positive, got " + cents);
        }
    }
}
