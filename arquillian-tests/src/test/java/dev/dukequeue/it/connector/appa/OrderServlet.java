package dev.dukequeue.it.connector.appa;

import dev.dukequeue.QueueUnavailableException;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /app-a/ready}: 200 once the adapter hands out connections. {@code GET /app-a/submit?type=&payload=&
 * maxAttempts=&commit=}: places an order and its job ({@link Orders#place}), answers {@code {"order":..,"job":..}};
 * with {@code &factory=<JNDI name>} through the server's connection factory of that name instead of the
 * application's own ({@link Orders#placeThrough}).
 * Errors answer {@code {"error": exception class, "message": ..}}: 503 for QueueUnavailableException (however the EJB
 * container wrapped it), 500 for anything else.
 */
@WebServlet(urlPatterns = {"/ready", "/submit"})
public class OrderServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private Orders orders;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if ("/ready".equals(request.getServletPath())) {
                orders.checkQueue();
                answer(response, 200, Json.createObjectBuilder().add("ready", true).build().toString());
            } else {
                String maxAttempts = request.getParameter("maxAttempts");
                String type = request.getParameter("type");
                String payload = request.getParameter("payload");
                int attempts = maxAttempts == null ? 5 : Integer.parseInt(maxAttempts);
                boolean commit = !"false".equals(request.getParameter("commit"));
                String factory = request.getParameter("factory");
                Orders.Placed placed = factory == null ? orders.place(type, payload, attempts, commit)
                        : orders.placeThrough(factory, type, payload, attempts, commit);
                answer(response, 200, Json.createObjectBuilder().add("order", placed.order()).add("job", placed.job())
                        .build().toString());
            }
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (!(cause instanceof QueueUnavailableException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            int status = cause instanceof QueueUnavailableException ? 503 : 500;
            answer(response, status, Json.createObjectBuilder().add("error", cause.getClass().getName())
                    .add("message", String.valueOf(cause.getMessage())).build().toString());
        }
    }

    private static void answer(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json);
    }
}
