/**
 * app-a.war of {@code ConnectorIT}, the submitter: an order and its job written in one container transaction through
 * DukeQueue's resource adapter ({@link dev.dukequeue.it.connector.appa.Orders}), behind two plain servlets
 * ({@link dev.dukequeue.it.connector.appa.OrderServlet}). Deployed on its own next to {@code dukequeue.rar}, without
 * queue-api: the connector's class loader provides it.
 */
package dev.dukequeue.it.connector.appa;
