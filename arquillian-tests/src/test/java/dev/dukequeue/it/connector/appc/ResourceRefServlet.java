package dev.dukequeue.it.connector.appc;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /app-c/submit?type=&payload=}: submits one job through the server's connection factory
 * {@value #FACTORY}, which the application only references ({@code @Resource}: a resource reference, the one tie
 * between this WAR and the adapter), outside any transaction; answers {@code {"job":..}}, or 500 with
 * {@code {"error": exception class, "message": ..}}.
 */
@WebServlet(urlPatterns = "/submit")
public class ResourceRefServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The connector resource an administrator created with {@code asadmin create-connector-resource}. */
    public static final String FACTORY = "jca/dukequeue";

    @Resource(lookup = FACTORY)
    private JobQueueConnectionFactory jobs;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status;
        String json;
        try (JobQueueConnection queue = jobs.getConnection()) {
            String payload = Json.createObjectBuilder().add("marker", request.getParameter("payload")).build().toString();
            String job = queue.submit(JobRequest.builder(request.getParameter("type")).payloadJson(payload).build())
                    .id().toString();
            status = 200;
            json = Json.createObjectBuilder().add("job", job).build().toString();
        } catch (RuntimeException e) {
            status = 500;
            json = Json.createObjectBuilder().add("error", e.getClass().getName())
                    .add("message", String.valueOf(e.getMessage())).build().toString();
        }
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json);
    }
}
