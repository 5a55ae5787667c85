package dev.dukequeue.web.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Set;

/**
 * Validates credentials (HTTP Basic for the API, the login form for the UI: {@link DukeQueueAuthenticationMechanism})
 * against {@link AdminCredentials}; roles are returned as groups of the same name.
 */
@ApplicationScoped
public class ConfiguredIdentityStore implements IdentityStore {

    @Inject
    AdminCredentials credentials;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        Set<String> roles = credentials.rolesFor(credential.getCaller(), credential.getPasswordAsString());
        return roles.isEmpty() ? CredentialValidationResult.INVALID_RESULT
                : new CredentialValidationResult(credential.getCaller(), roles);
    }
}
