package dev.dukequeue.web.http;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Bounds every API request body before a resource reads it ({@link RequestLimits}): a declared
 * {@code Content-Length} above the limit is answered 413 before any of it is parsed or kept (it is read and thrown
 * away, up to a bound, so that the client gets the answer); a body without one (chunked, or HTTP/2) is read here
 * up to one byte past the limit, then either refused with 413 or handed on from memory. A body within its declared
 * length needs no copy: the container delivers no more than that length.
 */
public class BodyLimitFilter extends HttpFilter {

    static final String BATCH_PATH = "/api/v1/jobs/batch";
    /** Methods whose body, if any, nothing reads. */
    private static final java.util.Set<String> BODYLESS = java.util.Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    RequestLimits limits;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean batch = "POST".equals(request.getMethod())
                && request.getRequestURI().substring(request.getContextPath().length()).equals(BATCH_PATH);
        long limit = batch ? limits.maxBatch() : limits.maxBody();
        String setting = batch ? RequestLimits.MAX_BATCH : RequestLimits.MAX_BODY;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, limit, setting, declared + " bytes");
            return;
        }
        // No declared length: chunked over HTTP/1.1, or any body over HTTP/2 (DATA frames, no Transfer-Encoding).
        // A bodyless request ends at once (an HTTP/1.1 request without either header has no body), so read them all.
        if (declared < 0 && !BODYLESS.contains(request.getMethod())) {
            byte[] body = readAtMost(request.getInputStream(), limit + 1);
            if (body.length > limit) {
                refuse(request, response, limit, setting, "more");
                return;
            }
            chain.doFilter(new BufferedBody(request, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * Answers 413. A client that sends its whole body before it reads the answer (most do) would see the connection
     * closed under it and no answer at all: so up to
     * {@link #DISCARD_MAX} bytes of the body are read and thrown away first (streamed, never held), and only a body
     * larger than that gets its connection closed.
     */
    private static void refuse(HttpServletRequest request, HttpServletResponse response, long limit, String setting,
            String got) throws IOException {
        if (request.getContentLengthLong() > DISCARD_MAX || !discardedWhole(request.getInputStream())) {
            response.setHeader("Connection", "close");
        }
        JsonErrors.send(response, 413, "body_too_large", "body", "the request body must be at most " + limit
                + " bytes (" + setting + "), got " + got);
    }

    /** The most bytes of a refused body read and thrown away so that the client gets its 413 (64 MiB). */
    static final long DISCARD_MAX = 64L * 1024 * 1024;

    /** @return true if the body ended within {@link #DISCARD_MAX} bytes */
    private static boolean discardedWhole(InputStream in) throws IOException {
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while (total <= DISCARD_MAX && (n = in.read(chunk)) >= 0) {
            total += n;
        }
        return total <= DISCARD_MAX;
    }

    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while (out.size() < max && (n = in.read(chunk, 0, (int) Math.min(chunk.length, max - out.size()))) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    /** The request with its (already read and bounded) body served from memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was already read into memory");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }
    }
}
