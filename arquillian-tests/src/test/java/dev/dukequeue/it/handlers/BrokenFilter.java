package dev.dukequeue.it.handlers;

import jakarta.servlet.FilterChain;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Fails every request to {@code /api/it-filter-broken} before any servlet runs, so that a test can see what the
 * container answers for an exception thrown outside JAX-RS. Part of the test deployments only.
 */
@WebFilter("/api/it-filter-broken")
public class BrokenFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        throw new IllegalStateException("filter failure with " + BrokenResource.SECRET);
    }
}
