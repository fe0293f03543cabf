package io.usersync.api.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.usersync.common.Ids;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns every verified bearer token into a usersync identity while the request is authenticated, before any
 * resource runs. The token's signature, issuer, audience and expiry are smallrye-jwt's; here:
 * <ul>
 * <li>its lifetime ({@code exp - iat}) must not exceed {@code usersync.auth.max-token-lifetime}, and both
 * claims must be present;</li>
 * <li>its roles and tenant ids are read from the configured claims ({@link AuthConfig.Claims}: claim paths and
 * a role prefix), so tokens of a real identity provider need no usersync-specific layout;</li>
 * <li>a tenant-scoped role without its tenant ids ({@code msp_id}; plus {@code client_id} for client admins),
 * or with ids that are not ids, fails authentication (401) on every endpoint alike.</li>
 * </ul>
 * The identity then carries exactly the one strongest usersync role (nothing else the IdP put into its
 * groups), and the {@link Caller} for {@link CurrentCaller}.
 */
@ApplicationScoped
public class TenantClaims implements SecurityIdentityAugmentor {

    /** Default claim names ({@link AuthConfig.Claims}). */
    public static final String MSP_CLAIM = "msp_id";
    public static final String CLIENT_CLAIM = "client_id";
    static final String CALLER_ATTRIBUTE = "usersync.caller";
    /** Who is calling, for per-caller limits: the token's issuer and subject, or the API key's id. */
    public static final String CALLER_KEY_ATTRIBUTE = "usersync.caller-key";
    private static final int MAX_SUBJECT = 150;

    /** How claims are read: resolved once from {@link AuthConfig}. */
    record Rules(String roles, String rolePrefix, String msp, String client, Duration maxLifetime) {

        static final Rules DEFAULT = new Rules("groups", "", MSP_CLAIM, CLIENT_CLAIM, Duration.ofHours(24));

        static Rules of(AuthConfig config) {
            AuthConfig.Claims claims = config.claims();
            return new Rules(claims.roles(), claims.rolePrefix().orElse(""), claims.mspId(), claims.clientId(),
                    config.maxTokenLifetime());
        }
    }

    @Inject
    AuthConfig config;

    private volatile Rules rules;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller;
        try {
            caller = caller(token, rules());
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        QuarkusSecurityIdentity.Builder usersync = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal()).addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(CALLER_KEY_ATTRIBUTE, "jwt:" + token.getIssuer() + "|" + subject(token));
        if (caller != null) {
            // authenticated but without a usersync role: no role at all, so @RolesAllowed answers 403
            usersync.addRole(caller.role().claim()).addAttribute(CALLER_ATTRIBUTE, caller);
        }
        return Uni.createFrom().item(usersync.build());
    }

    private Rules rules() {
        Rules current = rules;
        if (current == null) {
            current = Rules.of(config);
            rules = current;
        }
        return current;
    }

    /** The caller a token stands for; null when it carries no usersync role. */
    static Caller caller(JsonWebToken token, Rules rules) {
        checkLifetime(token, rules.maxLifetime());
        Role role = strongestRole(TokenClaims.strings(token, rules.roles()), rules.rolePrefix());
        if (role == null) {
            return null;
        }
        String subject = subject(token);
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT
                || subject.codePoints().anyMatch(Character::isISOControl)) {
            throw new AuthenticationFailedException("token without a usable subject");
        }
        UUID msp = uuidClaim(token, rules.msp());
        UUID client = uuidClaim(token, rules.client());
        if (role != Role.OPERATOR && msp == null) {
            throw new AuthenticationFailedException(role.claim() + " token without " + rules.msp());
        }
        if (role == Role.CLIENT_ADMIN && client == null) {
            throw new AuthenticationFailedException("client-admin token without " + rules.client());
        }
        return new Caller(subject, role, role == Role.OPERATOR ? null : msp,
                role == Role.CLIENT_ADMIN ? client : null);
    }

    /** Refuses tokens without {@code iat} or {@code exp}, and tokens issued for longer than the maximum. */
    static void checkLifetime(JsonWebToken token, Duration max) {
        Long issuedAt = TokenClaims.seconds(token, "iat");
        Long expiresAt = TokenClaims.seconds(token, "exp");
        // smallrye-jwt hands out a missing standard time claim as 0
        if (issuedAt == null || expiresAt == null || issuedAt <= 0 || expiresAt <= 0) {
            throw new AuthenticationFailedException("token without iat or exp");
        }
        if (expiresAt - issuedAt > max.toSeconds()) {
            throw new AuthenticationFailedException("token lifetime " + (expiresAt - issuedAt) + " s exceeds "
                    + max.toSeconds() + " s");
        }
    }

    private static String subject(JsonWebToken token) {
        return token.getSubject() == null ? token.getName() : token.getSubject();
    }

    /** The strongest role named by an entry carrying the prefix (exactly, as {@code @RolesAllowed} compares). */
    static Role strongestRole(List<String> entries, String prefix) {
        Role best = null;
        for (String entry : entries) {
            if (!entry.startsWith(prefix)) {
                continue;
            }
            Role role = Role.fromClaim(entry.substring(prefix.length()));
            if (role != null && (best == null || role.ordinal() < best.ordinal())) {
                best = role;
            }
        }
        return best;
    }

    private static UUID uuidClaim(JsonWebToken token, String path) {
        Object value = TokenClaims.at(token, path);
        if (value == null) {
            return null;
        }
        String text = Optional.ofNullable(TokenClaims.string(token, path)).orElse(value.toString());
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw new AuthenticationFailedException("claim " + path + " is not an id");
        }
        return id;
    }
}
