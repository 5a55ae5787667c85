/**
 * Who may call the API: HTTP Basic through Jakarta Security, user {@code admin} with a configured or generated
 * password, and an optional read-only user {@code viewer}.
 */
package dev.dukequeue.web.security;
