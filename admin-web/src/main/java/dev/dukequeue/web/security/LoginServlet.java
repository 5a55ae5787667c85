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
        HttpSession session = request.getSession();
        session.setAttribute(CSRF, Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        sameSiteCookie(request, response, session);
        response.sendRedirect(request.getContextPath() + "/ui/");
    }

    /**
     * Sends the session cookie once more, last, with {@code SameSite=Strict}: Payara (Server 6.2025.9, Micro
     * 6.2025.10) leaves SameSite out of the session cookie whether it is set in web.xml or through
     * {@code SessionCookieConfig}. The browser keeps the last of two cookies with the same name and path.
     */
    private static void sameSiteCookie(HttpServletRequest request, HttpServletResponse response, HttpSession session) {
        String name = request.getServletContext().getSessionCookieConfig().getName();
        String path = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
        response.addHeader("Set-Cookie", (name == null ? "JSESSIONID" : name) + "=" + session.getId() + "; Path=" + path
                + "; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : ""));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect(request.getContextPath() + "/ui/");
    }
}
