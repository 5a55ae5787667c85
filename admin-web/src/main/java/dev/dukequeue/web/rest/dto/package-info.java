/** JSON shapes of the REST API: how requests are read (with field-level errors) and responses written. */
package dev.dukequeue.web.rest.dto;
