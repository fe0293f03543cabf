package io.usersync.api.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.usersync.tenant.Caller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The {@link Caller} of the current request, as established from its verified bearer token by
 * {@link TenantClaims} during authentication. Resources pass it to every service call; services scope every
 * query by it.
 */
@RequestScoped
public class CurrentCaller {

    /** Token claim naming the caller's MSP. */
    public static final String MSP_CLAIM = TenantClaims.MSP_CLAIM;
    /** Token claim naming a client admin's client account. */
    public static final String CLIENT_CLAIM = TenantClaims.CLIENT_CLAIM;

    @Inject
    SecurityIdentity identity;

    public Caller get() {
        if (identity == null || identity.isAnonymous()) {
            throw new AuthenticationFailedException("no token");
        }
        Caller caller = identity.getAttribute(TenantClaims.CALLER_ATTRIBUTE);
        if (caller == null) {
            throw new ForbiddenException("no usersync role");
        }
        return caller;
    }

    /**
     * The caller, when it is a person (a token of the identity provider) and not an API key: API keys may not
     * manage API keys, so a leaked key cannot mint itself a successor or hide by revoking others.
     */
    public Caller requirePerson() {
        Caller caller = get();
        if (Boolean.TRUE.equals(identity.getAttribute(ApiKeyAuthentication.API_KEY_ATTRIBUTE))) {
            throw new io.usersync.common.error.DomainException(io.usersync.common.error.ProblemType.FORBIDDEN,
                    "API keys cannot manage API keys; sign in with your identity provider");
        }
        return caller;
    }
}
