/**
 * A sample application module: how an enterprise application uses DukeQueue. {@link dev.dukequeue.sample.OrderService}
 * (a {@code @Stateless} bean) stores an order and submits its confirmation job in one container-managed transaction, so
 * a rollback leaves neither; {@link dev.dukequeue.sample.OrderConfirmationHandler} runs the job on a DukeQueue worker.
 * It compiles against {@code queue-api} only, and keeps its table in DukeQueue's database through the same data source,
 * which is what makes the order and its job commit together without XA.
 */
package dev.dukequeue.sample;
