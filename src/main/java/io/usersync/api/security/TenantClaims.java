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
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Checks the tenancy claims of every verified bearer token while the request is authenticated, before any
 * resource runs: a tenant-scoped role without its tenant ids ({@code msp_id}; plus {@code client_id} for
 * client admins), or with ids that are not ids, fails authentication (401) on every endpoint alike — also on
 * endpoints that would never look at the caller. The resulting {@link Caller} is attached to the identity for
 * {@link CurrentCaller}.
 */
@ApplicationScoped
public class TenantClaims implements SecurityIdentityAugmentor {

    public static final String MSP_CLAIM = "msp_id";
    public static final String CLIENT_CLAIM = "client_id";
    static final String CALLER_ATTRIBUTE = "usersync.caller";
    private static final int MAX_SUBJECT = 150;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller;
        try {
            caller = caller(token);
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
        if (caller == null) {
            // authenticated but without a usersync role: @RolesAllowed answers 403
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(CALLER_ATTRIBUTE, caller).build());
    }

    /** The caller a token stands for; null when it carries no usersync role. */
    static Caller caller(JsonWebToken token) {
        Role role = strongestRole(token.getGroups());
        if (role == null) {
            return null;
        }
        String subject = token.getSubject() == null ? token.getName() : token.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT
                || subject.codePoints().anyMatch(Character::isISOControl)) {
            throw new AuthenticationFailedException("token without a usable subject");
        }
        UUID msp = uuidClaim(token, MSP_CLAIM);
        UUID client = uuidClaim(token, CLIENT_CLAIM);
        if (role != Role.OPERATOR && msp == null) {
            throw new AuthenticationFailedException(role.claim() + " token without " + MSP_CLAIM);
        }
        if (role == Role.CLIENT_ADMIN && client == null) {
            throw new AuthenticationFailedException("client-admin token without " + CLIENT_CLAIM);
        }
        return new Caller(subject, role, role == Role.OPERATOR ? null : msp,
                role == Role.CLIENT_ADMIN ? client : null);
    }

    private static Role strongestRole(Set<String> groups) {
        Role best = null;
        for (String group : groups == null ? Set.<String>of() : groups) {
            Role role = Role.fromClaim(group);
            if (role != null && (best == null || role.ordinal() < best.ordinal())) {
                best = role;
            }
        }
        return best;
    }

    private static UUID uuidClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return null;
        }
        String text = value.toString();
        if (text.length() > 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw new AuthenticationFailedException("claim " + name + " is not an id");
        }
        return id;
    }
}
