/**
 * DukeQueue's resource adapter on a real Payara Micro process: {@code dukequeue.rar} deployed first, then two
 * applications that do not bundle queue-api, built here with ShrinkWrap ({@link dev.dukequeue.it.connector.ConnectorApps}):
 * app-a submits through the adapter's connection factory in its own transaction, app-b runs the jobs in
 * message-driven beans. The jobs' database is an embedded PostgreSQL the test can stop; every check reads the tables
 * directly. Plain JUnit: the test drives a process, not an Arquillian deployment. Nothing here goes into the
 * in-container deployments ({@code Deployments} leaves this package out).
 */
package dev.dukequeue.it.connector;
