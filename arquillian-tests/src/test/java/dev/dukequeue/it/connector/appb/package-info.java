/**
 * app-b.war of {@code ConnectorIT}, the handlers: message-driven beans bound to DukeQueue's resource adapter, each
 * recording its effect ({@link dev.dukequeue.it.connector.appb.Effects}) in its own container transaction, in which the
 * adapter also writes the job's completion. Deployed without queue-api: the connector's class loader provides it.
 */
package dev.dukequeue.it.connector.appb;
