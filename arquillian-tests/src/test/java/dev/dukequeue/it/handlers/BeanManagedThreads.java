package dev.dukequeue.it.handlers;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;

/**
 * Makes managed threads from inside a bean-managed-transaction EJB, like the engine's start-up bean does: such a
 * thread carries that EJB's component context.
 */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class BeanManagedThreads {

    @Resource
    ManagedThreadFactory threads;

    public Thread newThread(Runnable work) {
        return threads.newThread(work);
    }
}
