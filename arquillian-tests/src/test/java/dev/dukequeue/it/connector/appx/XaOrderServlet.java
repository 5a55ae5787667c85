package dev.dukequeue.it.connector.appx;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /app-x/place?type=T&code=C&commit=true|false}: 200 with the order id once the transaction committed
 * (or was rolled back as asked); 500 with the failure when the commit failed.
 */
@WebServlet("/place")
public class XaOrderServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    XaOrders orders;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        try {
            String order = orders.place(request.getParameter("type"), request.getParameter("code"),
                    Boolean.parseBoolean(request.getParameter("commit")));
            response.getWriter().print(order);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            response.setStatus(500);
            response.getWriter().print(e.getClass().getName() + ": " + e.getMessage() + " / cause: " + cause);
        }
    }
}
