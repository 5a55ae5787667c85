/**
 * Running jobs. The {@link dev.dukequeue.engine.dispatch.Dispatcher} is the CDI bean the rest of the engine calls; the
 * parts it wires are package-private: the claim loop and its worker slots, the handler registry that binds job types
 * to CDI handler beans, the execution of one attempt (also the handler's {@code JobContext}), the completion writers
 * (group commits), the outcome recorder (failures, timeouts and releases through the store's lease fence, retried
 * while the lease lasts) and the shutdown's drain. What an outcome is comes from {@code engine.job.OutcomePolicy};
 * lease renewal is {@code engine.lease.LeaseKeeper}, run on the dispatcher's scheduler thread.
 */
package dev.dukequeue.engine.dispatch;
