package dev.dukequeue.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * CSRF protection for the admin UI: a request that changes something (any method but GET, HEAD, OPTIONS) and is
 * authenticated by the session cookie, not by an {@code Authorization} header, must carry the session's token in
 * {@code X-CSRF-Token} ({@code GET /api/v1/session} hands it to the UI). Otherwise 403, before anything is done.
 * Basic-authenticated API calls (scripts) send no cookie a browser could forge and need no token.
 */
@WebFilter("/api/*")
public class CsrfFilter extends HttpFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!SAFE.contains(request.getMethod()) && request.getHeader("Authorization") == null) {
            HttpSession session = request.getSession(false);
            Object expected = session == null ? null : session.getAttribute(LoginServlet.CSRF);
            String sent = request.getHeader("X-CSRF-Token");
            if (expected != null && (sent == null || !MessageDigest.isEqual(
                    expected.toString().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8)))) {
                response.setStatus(403);
                response.setContentType("application/json");
                response.getWriter().write("{\"error\":\"csrf\",\"field\":\"X-CSRF-Token\",\"message\":\"X-CSRF-Token"
                        + " must carry this session's token (GET /api/v1/session)\"}");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
