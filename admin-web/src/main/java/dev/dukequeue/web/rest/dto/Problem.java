package dev.dukequeue.web.rest.dto;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

/**
 * Every error answer of the API, as RFC 9457 "Problem Details for HTTP APIs" ({@value #MEDIA_TYPE}): {@code type}
 * (a URN naming DukeQueue's problem, {@code urn:dukequeue:problem:<error>}, or {@code about:blank} for a plain HTTP
 * error such as an unknown path or method), {@code title} (the status's reason phrase: one per type, since each type
 * has one status), {@code status}, {@code detail} (what went wrong, naming the field and the rule), and the extension
 * members {@code error} (the short code, the type's last segment), {@code field} (the field or header at fault, when
 * one is) and {@code message} (the same text as {@code detail}, kept for clients of API version 1 written before).
 */
public final class Problem {

    /** The media type of every error answer. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Types of DukeQueue's own problems start with this. */
    public static final String TYPE_PREFIX = "urn:dukequeue:problem:";

    private Problem() {
    }

    /**
     * @param status the HTTP status
     * @param error  the short code ({@code invalid_request}, {@code queue_full}...); {@code http_<status>} for an error
     *               of HTTP itself, whose type is {@code about:blank}
     * @param field  the field or header at fault, or null
     * @param detail what went wrong, for a person
     * @return the problem document
     */
    public static JsonObject of(int status, String error, String field, String detail) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : status == 429 ? "Too Many Requests" : "HTTP " + status;
        String text = detail == null || detail.isBlank() ? title : detail;
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder()
                .add("type", error.startsWith("http_") ? "about:blank" : TYPE_PREFIX + error)
                .add("title", title)
                .add("status", status)
                .add("detail", text)
                .add("error", error);
        if (field != null) {
            b.add("field", field);
        }
        return b.add("message", text).build();
    }

    /** @return the document's text, for an answer written outside JAX-RS */
    public static String text(int status, String error, String field, String detail) {
        return of(status, error, field, detail).toString();
    }
}
