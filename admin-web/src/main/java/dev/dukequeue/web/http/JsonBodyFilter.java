package dev.dukequeue.web.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * The API reads bodies only as {@code application/json} (UTF-8; a {@code charset=utf-8} parameter is allowed): a
 * request that changes something and carries a body, or any {@code Content-Type}, of another kind is answered 415
 * before anything is done. That is also what keeps a plain HTML form of another site out: a form can only send
 * {@code text/plain}, {@code application/x-www-form-urlencoded} or {@code multipart/form-data}, always with that
 * header, even when it has no field. A state change without a body needs no {@code Content-Type}
 * ({@code curl -X POST -u ...}).
 */
public class JsonBodyFilter extends HttpFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!SAFE.contains(request.getMethod())) {
            String type = request.getContentType();
            boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
            if (type == null ? body : !isJson(type)) {
                JsonErrors.send(response, 415, "unsupported_media_type", "Content-Type", "Content-Type must be"
                        + " application/json (UTF-8) for a request body, got " + (type == null ? "none" : type));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** {@code application/json}, any case, with no charset or UTF-8 (RFC 8259: JSON between systems is UTF-8). */
    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().toLowerCase(Locale.ROOT).equals("charset")) {
                String charset = parameter.length < 2 ? "" : parameter[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8")) {
                    return false;
                }
            }
        }
        return true;
    }
}
