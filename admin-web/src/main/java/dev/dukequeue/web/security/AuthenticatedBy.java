package dev.dukequeue.web.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * How {@link DukeQueueAuthenticationMechanism} authenticated a request, kept as a request attribute for the filters
 * that run after it: {@link CsrfFilter} requires the CSRF token unless the request's own Basic credentials did.
 */
public enum AuthenticatedBy {
    /** The request's {@code Authorization: Basic} credentials: nothing ambient, no token needed. */
    BASIC,
    /** The UI session's cookie, which a browser sends by itself: state changes need the session's token. */
    SESSION;

    static final String ATTRIBUTE = "dukequeue.authenticatedBy";

    void mark(HttpServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    /** @return how the request was authenticated, or null if it was not */
    public static AuthenticatedBy of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof AuthenticatedBy by ? by : null;
    }
}
