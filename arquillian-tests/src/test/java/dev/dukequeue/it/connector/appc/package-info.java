/**
 * app-c.war of {@code RarOnPayaraServerIT}: an application whose only tie to DukeQueue's resource adapter is a
 * resource reference to the server's connection factory {@code jca/dukequeue}, which an administrator created with
 * asadmin (no connection factory definition, no message-driven bean). Deployed without queue-api.
 */
package dev.dukequeue.it.connector.appc;
