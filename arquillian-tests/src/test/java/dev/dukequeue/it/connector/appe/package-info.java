/**
 * The submitter of {@code RarInEarOnPayaraServerIT}'s EAR, deployed there as {@code app-a.war} next to
 * {@code dukequeue.rar} as a connector module of the same application: app-a's pattern (an order and its job in one
 * container transaction, {@link dev.dukequeue.it.connector.appe.EarOrders}), with the connection factory defined on the
 * adapter of its own application ({@code resourceAdapter = "#dukequeue"}) instead of a standalone one. Without
 * queue-api: the EAR's connector module provides it.
 */
package dev.dukequeue.it.connector.appe;
