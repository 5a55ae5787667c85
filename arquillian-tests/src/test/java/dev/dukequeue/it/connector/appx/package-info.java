/**
 * app-x: a submitter whose own rows live in another database ({@code jdbc/appdb}) than DukeQueue's jobs
 * ({@code jdbc/dukequeue}), both XA pools, so that one container transaction spans two resources (two-phase commit).
 */
package dev.dukequeue.it.connector.appx;
