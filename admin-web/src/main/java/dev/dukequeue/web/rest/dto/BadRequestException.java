package dev.dukequeue.web.rest.dto;

/** A request body or parameter the API cannot read; answered with 400 naming the field. */
public class BadRequestException extends RuntimeException {

    private final String error;
    private final String field;

    /**
     * @param error   a machine-readable code ({@code malformed_json}, {@code invalid_request}, {@code invalid_parameter})
     * @param field   the field or parameter at fault, or null for the body as a whole
     * @param message what is wrong
     */
    public BadRequestException(String error, String field, String message) {
        super(message);
        this.error = error;
        this.field = field;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }
}
