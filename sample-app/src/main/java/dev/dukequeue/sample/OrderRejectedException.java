package dev.dukequeue.sample;

import jakarta.ejb.ApplicationException;

/** The order was refused; the container rolls the transaction back (the order and its job with it). */
@ApplicationException(rollback = true)
public class OrderRejectedException extends RuntimeException {

    public OrderRejectedException(String message) {
        super(message);
    }
}
