/**
 * DukeQueue's admin web module: the REST API ({@code rest}), its DTOs ({@code rest.dto}) and its security
 * ({@code security}). Thin: map the request, call the engine, map the result.
 */
package dev.dukequeue.web;
