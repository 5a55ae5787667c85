package dev.dukequeue.web.security;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin UI's session: {@code POST /ui/login} arrives here once {@link DukeQueueAuthenticationMechanism} has
 * accepted the credentials; it starts a fresh session (no fixation) with a random CSRF token and goes to the UI.
 * {@code POST /ui/logout} ends it.
 */
@WebServlet({"/ui/login", "/ui/logout"})
public class LoginServlet extends HttpServlet {

    /** The session attribute holding the UI session's CSRF token. */
    public static final String CSRF = "dukequeue.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().equals("/ui/logout")) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            try {
                request.logout();
            } catch (jakarta.servlet.ServletException e) {
                // already gone
            }
            response.sendRedirect(request.getContextPath() + "/login.html");
            return;
        }
        request.changeSessionId();
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        request.getSession().setAttribute(CSRF, Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        response.sendRedirect(request.getContextPath() + "/ui/");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect(request.getContextPath() + "/ui/");
    }
}
