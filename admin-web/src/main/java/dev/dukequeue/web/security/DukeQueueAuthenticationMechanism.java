package dev.dukequeue.web.security;

import dev.dukequeue.web.http.JsonErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One identity store, two ways in: the REST API takes HTTP Basic on every request (scripts, curl, monitoring) and
 * never starts a session for it; the admin UI logs in once with a form and keeps the caller in its {@link UiSession}.
 * Each request is marked with how it was authenticated ({@link AuthenticatedBy}): a session-authenticated state change
 * must also carry the session's CSRF token ({@link CsrfFilter}).
 *
 * <ul>
 *   <li>An {@code Authorization} header: it must be valid Basic credentials, or the answer is 401; the session is
 *       never used instead (a wrong or foreign header must not let the cookie through without the CSRF check).</li>
 *   <li>{@code POST /ui/login} with {@code username} and {@code password}: validated; success starts the UI session
 *       and continues to {@link LoginServlet} (which goes to the UI), failure redirects back to the login page.</li>
 *   <li>No header: the UI session's identity if there is one.</li>
 *   <li>A protected resource without any of these: the API answers 401 as JSON with a Basic challenge, the UI
 *       redirects to the login page.</li>
 * </ul>
 */
@ApplicationScoped
public class DukeQueueAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String REALM = "DukeQueue";

    @Inject
    IdentityStoreHandler identityStores;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            CredentialValidationResult result = authorization.regionMatches(true, 0, "Basic ", 0, 6)
                    ? validate(basic(authorization.substring(6).trim())) : CredentialValidationResult.INVALID_RESULT;
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                AuthenticatedBy.BASIC.mark(request);
                return context.notifyContainerAboutLogin(result);
            }
            return context.isProtected() ? unauthorized(response, "the Authorization header must hold valid HTTP"
                    + " Basic credentials") : context.doNothing();
        }
        if (path.equals("/ui/login") && "POST".equals(request.getMethod())) {
            String user = request.getParameter("username");
            String password = request.getParameter("password");
            CredentialValidationResult result = user == null || password == null ? CredentialValidationResult.INVALID_RESULT
                    : validate(new UsernamePasswordCredential(user, password));
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                UiSession.start(request, response, result.getCallerPrincipal().getName(), result.getCallerGroups());
                AuthenticatedBy.SESSION.mark(request);
                return context.notifyContainerAboutLogin(result);
            }
            return context.redirect(request.getContextPath() + "/login.html?failed");
        }
        Optional<UiSession.Identity> session = UiSession.identity(request);
        if (session.isPresent()) {
            AuthenticatedBy.SESSION.mark(request);
            return context.notifyContainerAboutLogin(session.get().caller(), session.get().groups());
        }
        if (context.isProtected()) {
            return path.startsWith("/api/") ? unauthorized(response, "credentials are required: HTTP Basic"
                    + " (user admin or viewer)") : context.redirect(request.getContextPath() + "/login.html");
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

    /**
     * 401 as the API's JSON error, with the Basic challenge. Written and committed here, and SEND_FAILURE returned:
     * {@code HttpMessageContext.responseUnauthorized()} would have the container send its HTML error page instead.
     */
    private static AuthenticationStatus unauthorized(HttpServletResponse response, String message) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        try {
            JsonErrors.send(response, 401, "unauthorized", "Authorization", message);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send the 401 answer", e);
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
