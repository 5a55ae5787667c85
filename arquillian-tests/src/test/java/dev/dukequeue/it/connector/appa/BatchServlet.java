package dev.dukequeue.it.connector.appa;

import dev.dukequeue.QueueUnavailableException;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /app-a/batch?type=&marker=&count=&maxAttempts=&seed=&minMs=&maxMs=}: submits {@code count} jobs in one
 * transaction ({@link Batches#submit}) and answers {@code {"jobs":[ids]}} once it has committed: a 200 acknowledges
 * them all. Errors answer {@code {"error": exception class, "message": ..}}: 503 for QueueUnavailableException, 500
 * for anything else; neither acknowledges a job.
 */
@WebServlet(urlPatterns = "/batch")
public class BatchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private Batches batches;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status;
        String json;
        try {
            JsonArrayBuilder ids = Json.createArrayBuilder();
            batches.submit(request.getParameter("type"), request.getParameter("marker"),
                    Integer.parseInt(request.getParameter("count")), Integer.parseInt(request.getParameter("maxAttempts")),
                    Long.parseLong(request.getParameter("seed")), Integer.parseInt(request.getParameter("minMs")),
                    Integer.parseInt(request.getParameter("maxMs"))).forEach(ids::add);
            status = 200;
            json = Json.createObjectBuilder().add("jobs", ids).build().toString();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (!(cause instanceof QueueUnavailableException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            status = cause instanceof QueueUnavailableException ? 503 : 500;
            json = Json.createObjectBuilder().add("error", cause.getClass().getName())
                    .add("message", String.valueOf(cause.getMessage())).build().toString();
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json);
    }
}
