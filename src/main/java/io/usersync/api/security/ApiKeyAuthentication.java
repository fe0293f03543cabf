package io.usersync.api.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.usersync.tenant.Caller;
import io.usersync.tenant.access.ApiKeyService;
import io.usersync.tenant.access.ApiKeySecret;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * API keys as bearer credentials: {@code Authorization: Bearer usk_...}. Runs before the JWT mechanism and takes
 * only values that start with {@code usk_} (a JWT never does); everything else goes on to JWT verification. A key
 * that does not authenticate (malformed, unknown, wrong secret, revoked, expired) answers 401 like a bad token.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

    static final String SCHEME = "Bearer";
    /** Marks identities established by an API key (see {@link CurrentCaller#requirePerson()}). */
    static final String API_KEY_ATTRIBUTE = "usersync.api-key";

    /** A presented key, for the identity provider below. */
    public static final class ApiKeyRequest extends BaseAuthenticationRequest {
        final String key;

        ApiKeyRequest(String key) {
            this.key = key;
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= SCHEME.length() + 1
                || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return Uni.createFrom().nullItem();
        }
        String value = header.substring(SCHEME.length() + 1).strip();
        if (!ApiKeySecret.looksLikeApiKey(value)) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new ApiKeyRequest(value), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", SCHEME));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                SCHEME));
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }

    /** Looks the key up (a blocking read: off the event loop). */
    @ApplicationScoped
    public static class Provider implements IdentityProvider<ApiKeyRequest> {

        @Inject
        ApiKeyService keys;

        @Override
        public Class<ApiKeyRequest> getRequestType() {
            return ApiKeyRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                Caller caller = keys.authenticate(request.key);
                if (caller == null) {
                    throw new AuthenticationFailedException("API key not accepted");
                }
                return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(caller.subject()))
                        .addCredential(new TokenCredential(ApiKeySecret.displayPrefixOf(request.key), "api-key"))
                        .addRole(caller.role().claim())
                        .addAttribute(TenantClaims.CALLER_ATTRIBUTE, caller)
                        .addAttribute(TenantClaims.CALLER_KEY_ATTRIBUTE, caller.subject())
                        .addAttribute(API_KEY_ATTRIBUTE, Boolean.TRUE).build();
            });
        }
    }
}
