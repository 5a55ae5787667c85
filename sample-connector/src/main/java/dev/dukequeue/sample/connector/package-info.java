/**
 * The connector sample: an application that shares the server's DukeQueue through {@code dukequeue.rar}.
 * {@link dev.dukequeue.sample.connector.Invoices} writes an invoice and submits its job in one container transaction
 * through the adapter's connection factory; {@link dev.dukequeue.sample.connector.InvoiceSender}, a message-driven
 * bean, runs the job and marks the invoice sent in its own container transaction, in which the adapter also completes
 * the job: the invoice is marked sent exactly once. {@link dev.dukequeue.sample.connector.JobQueues} shows the CDI
 * producer an application can write to {@code @Inject} a connection.
 */
package dev.dukequeue.sample.connector;
