package dev.dukequeue.it.connector.appe;

import dev.dukequeue.QueueUnavailableException;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /ready}: 200 once the embedded adapter hands out connections. {@code GET /submit?type=&payload=&
 * maxAttempts=&commit=}: places an order and its job ({@link EarOrders#place}), answers {@code {"order":..,"job":..}}.
 * Errors answer {@code {"error": exception class, "message": ..}}: 503 for QueueUnavailableException (however the EJB
 * container wrapped it), 500 for anything else.
 */
@WebServlet(urlPatterns = {"/ready", "/submit"})
public class EarOrderServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private EarOrders orders;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = 200;
        String json;
        try {
            if ("/ready".equals(request.getServletPath())) {
                orders.checkQueue();
                json = Json.createObjectBuilder().add("ready", true).build().toString();
            } else {
                String maxAttempts = request.getParameter("maxAttempts");
                EarOrders.Placed placed = orders.place(request.getParameter("type"), request.getParameter("payload"),
                        maxAttempts == null ? 5 : Integer.parseInt(maxAttempts),
                        !"false".equals(request.getParameter("commit")));
                json = Json.createObjectBuilder().add("order", placed.order()).add("job", placed.job()).build()
                        .toString();
            }
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
