package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page of the web application (web.xml's {@code <error-page>} entries): answers the container's own errors
 * (a 403 of a security constraint, a 404 outside JAX-RS, an exception thrown by a filter) with the API's RFC 9457
 * problem ({@link Problem}) for a request under {@code /api/}, and a short plain text page elsewhere. Generic: the
 * status is kept, {@code error} is {@code http_<status>}, the message is the one given to {@code sendError} (or the
 * status's reason); an exception is logged with an error id the answer quotes. Headers set before the error (such as
 * a {@code WWW-Authenticate} challenge) are left as they are.
 */
@WebServlet(name = "ApiErrorServlet", urlPatterns = ApiErrorServlet.PATH)
public class ApiErrorServlet extends HttpServlet {

    /** Where web.xml sends errors. */
    public static final String PATH = "/error";

    private static final long serialVersionUID = 1L;

    /** Every method: an error dispatch keeps the method of the failed request. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        int status = code instanceof Integer c ? c : failure != null ? 500 : 404; // 404: the page asked for directly
        String message = (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known == null ? "HTTP " + status : known.getReasonPhrase();
        if (failure != null) {
            message = InternalErrors.message(InternalErrors.record(failure, request.getMethod() + " " + uri));
        } else if (message == null || message.isBlank()) {
            message = reason;
        }
        if (response.isCommitted()) {
            return; // part of the answer already left: nothing more can be said
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        boolean api = uri != null && uri.startsWith(request.getContextPath() + "/api/");
        if (api) {
            response.setContentType(Problem.MEDIA_TYPE);
            response.getWriter().write(Problem.text(status, failure != null ? "internal" : "http_" + status, null, message));
        } else {
            response.setContentType("text/plain");
            response.getWriter().write(status + " " + reason + "\n");
        }
    }
}
