/**
 * DukeQueue as a Jakarta Connectors 2.1 resource adapter ({@code dukequeue.rar}): the engine, hosted by the adapter
 * instead of CDI and EJB, shared by every application on the server.
 * <ul>
 * <li>{@link dev.dukequeue.connector.DukeQueueResourceAdapter}: the adapter; starts and stops the engine
 * ({@code StandaloneEngine}) on the adapter's host ({@link dev.dukequeue.connector.AdapterHost}: threads, the
 * {@code BootstrapContext} timer, the server's transaction manager) and activates message endpoints;</li>
 * <li>outbound: {@link dev.dukequeue.connector.JobQueueManagedConnectionFactory},
 * {@link dev.dukequeue.connector.JobQueueManagedConnection}, {@link dev.dukequeue.connector.AdapterConnectionFactory}
 * and {@link dev.dukequeue.connector.AdapterConnection}, the connection handle an application submits through;</li>
 * <li>inbound: {@link dev.dukequeue.connector.JobActivationSpec} and {@link dev.dukequeue.connector.Endpoints}, the
 * engine's handlers for the job types of the activated message-driven beans, which deliver each job in the bean's
 * container transaction ({@link dev.dukequeue.connector.Delivery}).</li>
 * </ul>
 */
package dev.dukequeue.connector;
