/**
 * What operators read: job search with keyset pagination, counts per queue and state, and attempt history. Used by
 * the admin REST API and UI; reads only, through JPA.
 */
package dev.dukequeue.engine.admin;
