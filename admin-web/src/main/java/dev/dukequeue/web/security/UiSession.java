package dev.dukequeue.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The admin UI's HTTP session, the only session DukeQueue starts: after a successful form login it holds the caller,
 * their groups and a random CSRF token; {@link DukeQueueAuthenticationMechanism} re-asserts that identity on later
 * requests that carry no {@code Authorization} header, and {@link CsrfFilter} requires the token on their state
 * changes. Basic-authenticated calls never get one.
 */
public final class UiSession {

    /** The session attribute holding the UI session's CSRF token. */
    public static final String CSRF = "dukequeue.csrf";
    private static final String CALLER = "dukequeue.caller";
    private static final String GROUPS = "dukequeue.groups";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who a session authenticates. */
    public record Identity(String caller, Set<String> groups) {
    }

    private UiSession() {
    }

    /**
     * Starts the session of a caller who has just logged in: an existing session (one a third party may have planted)
     * gets a new id (no fixation), then the caller, groups and a new token; the session cookie goes out with
     * {@code SameSite=Strict}.
     */
    static void start(HttpServletRequest request, HttpServletResponse response, String caller, Set<String> groups) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            request.changeSessionId();
        } else {
            session = request.getSession(true);
        }
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        session.setAttribute(CALLER, caller);
        session.setAttribute(GROUPS, Set.copyOf(groups));
        session.setAttribute(CSRF, Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        sameSiteCookie(request, response, session);
    }

    /** @return who the request's session (if any) authenticates */
    static Optional<Identity> identity(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return Optional.empty();
        }
        try {
            Object caller = session.getAttribute(CALLER);
            Object groups = session.getAttribute(GROUPS);
            if (caller instanceof String name && groups instanceof Set<?> set) {
                @SuppressWarnings("unchecked")
                Set<String> names = (Set<String>) set;
                return Optional.of(new Identity(name, names));
            }
        } catch (IllegalStateException invalidated) {
            // ended by a concurrent logout: no identity
        }
        return Optional.empty();
    }

    /** @return the CSRF token of the request's session, or null without one */
    public static String token(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Object token = session == null ? null : session.getAttribute(CSRF);
        return token == null ? null : token.toString();
    }

    /** @return whether {@code sent} is the request's session token (compared in constant time) */
    static boolean tokenMatches(HttpServletRequest request, String sent) {
        String expected = token(request);
        return expected != null && sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                sent.getBytes(StandardCharsets.UTF_8));
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
}
