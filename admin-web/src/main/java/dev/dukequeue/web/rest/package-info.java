/** JAX-RS resources under {@code /api/v1}, and the mapping of engine exceptions to HTTP status codes. */
package dev.dukequeue.web.rest;
