package dev.dukequeue.web.http;

import dev.dukequeue.web.rest.dto.Problem;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the API's error, an RFC 9457 problem ({@link Problem}), from code that runs before JAX-RS (filters, the authentication
 * mechanism), where no ExceptionMapper applies: the same shape as every other error of the API.
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** Writes the answer and commits it, so that nothing later (a container error page) can replace it. */
    public static void send(HttpServletResponse response, int status, String error, String field, String message)
            throws IOException {
        byte[] body = Problem.text(status, error, field, message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
