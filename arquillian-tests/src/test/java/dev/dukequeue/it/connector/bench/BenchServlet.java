package dev.dukequeue.it.connector.bench;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /bench/ready}, {@code /bench/submit?queue=&count=}, {@code /bench/pause?queue=},
 * {@code /bench/resume?queue=}: 200 with an empty body once done (committed); on any failure 500 (503 while the
 * queue is not ready) with the exception as text.
 */
@WebServlet(urlPatterns = {"/ready", "/submit", "/pause", "/resume"})
public class BenchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private BenchQueue queue;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("queue");
        try {
            switch (request.getServletPath()) {
                case "/ready" -> queue.check();
                case "/submit" -> queue.submit(name, Integer.parseInt(request.getParameter("count")));
                case "/pause" -> queue.pause(name);
                default -> queue.resume(name);
            }
            response.setStatus(200);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !cause.getClass().getName().endsWith("QueueUnavailableException")) {
                cause = cause.getCause();
            }
            response.setStatus(cause.getClass().getName().endsWith("QueueUnavailableException") ? 503 : 500);
            response.setContentType("text/plain");
            response.getWriter().write(cause.toString());
        }
    }
}
