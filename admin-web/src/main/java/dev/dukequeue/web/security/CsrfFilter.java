package dev.dukequeue.web.security;

import dev.dukequeue.web.http.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * CSRF protection of the API, for every request that changes something (any method but GET, HEAD, OPTIONS, with or
 * without a body), before anything is done:
 * <ol>
 *   <li>a browser's {@code Sec-Fetch-Site} saying the request comes from another origin ({@code cross-site} or
 *       {@code same-site}) is refused (403), whatever authenticates it: a browser also sends Basic credentials it
 *       has kept by itself, and the UI's own calls are {@code same-origin};</li>
 *   <li>unless the request's own {@code Authorization: Basic} credentials authenticated it ({@link AuthenticatedBy}),
 *       it must carry the UI session's token in {@code X-CSRF-Token} ({@code GET /api/v1/session} hands it to the
 *       UI), or 403.</li>
 * </ol>
 * Scripts with Basic credentials send no {@code Sec-Fetch-Site} and need no token.
 */
public class CsrfFilter extends HttpFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> FOREIGN = Set.of("cross-site", "same-site");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!SAFE.contains(request.getMethod())) {
            String site = request.getHeader("Sec-Fetch-Site");
            if (site != null && FOREIGN.contains(site.strip().toLowerCase(java.util.Locale.ROOT))) {
                JsonErrors.send(response, 403, "cross_origin", "Sec-Fetch-Site", "a state change from another"
                        + " origin (Sec-Fetch-Site: " + site + ") is refused");
                return;
            }
            if (AuthenticatedBy.of(request) != AuthenticatedBy.BASIC
                    && !UiSession.tokenMatches(request, request.getHeader("X-CSRF-Token"))) {
                JsonErrors.send(response, 403, "csrf", "X-CSRF-Token", "X-CSRF-Token must carry this session's"
                        + " token (GET /api/v1/session)");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
