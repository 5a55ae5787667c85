package dev.dukequeue.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.AutoApplySession;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One identity store, two ways in: the REST API takes HTTP Basic on every request (scripts, curl, monitoring), the
 * admin UI logs in once with a form and keeps the caller in its session ({@link AutoApplySession}). A session-based
 * request that changes something must also carry the session's CSRF token ({@link CsrfFilter}).
 *
 * <ul>
 *   <li>{@code Authorization: Basic ...} on any request: validated; wrong credentials are a 401.</li>
 *   <li>{@code POST /ui/login} with {@code username} and {@code password}: validated; success continues to
 *       {@link LoginServlet} (which issues the CSRF token and redirects to the UI), failure redirects back to the
 *       login page.</li>
 *   <li>A protected resource without credentials: the API answers 401 with a Basic challenge, the UI redirects to
 *       the login page.</li>
 * </ul>
 */
@ApplicationScoped
@AutoApplySession
public class DukeQueueAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String REALM = "DukeQueue";

    @Inject
    IdentityStoreHandler identityStores;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            CredentialValidationResult result = validate(basic(authorization.substring(6).trim()));
            return result.getStatus() == CredentialValidationResult.Status.VALID
                    ? context.notifyContainerAboutLogin(result) : challenge(response, context);
        }
        if (path.equals("/ui/login") && "POST".equals(request.getMethod())) {
            String user = request.getParameter("username");
            String password = request.getParameter("password");
            CredentialValidationResult result = user == null || password == null ? CredentialValidationResult.INVALID_RESULT
                    : validate(new UsernamePasswordCredential(user, password));
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                return context.notifyContainerAboutLogin(result);
            }
            return context.redirect(request.getContextPath() + "/login.html?failed");
        }
        if (context.isProtected()) {
            return path.startsWith("/api/") ? challenge(response, context)
                    : context.redirect(request.getContextPath() + "/login.html");
        }
        return context.doNothing();
    }

    private CredentialValidationResult validate(UsernamePasswordCredential credential) {
        return credential == null ? CredentialValidationResult.INVALID_RESULT : identityStores.validate(credential);
    }

    private static UsernamePasswordCredential basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static AuthenticationStatus challenge(HttpServletResponse response, HttpMessageContext context) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        return context.responseUnauthorized();
    }
}
