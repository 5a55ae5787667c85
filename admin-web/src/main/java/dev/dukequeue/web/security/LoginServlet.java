package dev.dukequeue.web.security;

import dev.dukequeue.web.http.JsonErrors;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * The admin UI's entry and exit: {@code POST /ui/login} arrives here once {@link DukeQueueAuthenticationMechanism}
 * has accepted the credentials and started the {@link UiSession}, and goes to the UI. {@code POST /ui/logout} ends the
 * session; it needs the session's CSRF token (form field {@code csrf}, filled in by the UI), so that another page
 * cannot sign the operator out.
 */
@WebServlet({"/ui/login", "/ui/logout"})
public class LoginServlet extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().equals("/ui/logout")) {
            if (AuthenticatedBy.of(request) == AuthenticatedBy.SESSION
                    && !UiSession.tokenMatches(request, request.getParameter("csrf"))) {
                JsonErrors.send(response, 403, "csrf", "csrf", "signing out needs this session's CSRF token"
                        + " (the form field csrf)");
                return;
            }
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            try {
                request.logout();
            } catch (ServletException e) {
                // already gone
            }
        }
        response.sendRedirect(request.getContextPath() + (request.getServletPath().equals("/ui/logout")
                ? "/login.html" : "/ui/"));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect(request.getContextPath() + "/ui/");
    }
}
