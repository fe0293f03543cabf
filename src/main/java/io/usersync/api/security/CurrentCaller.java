package io.usersync.api.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.usersync.common.Ids;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the verified bearer token of the current request into a {@link Caller}. Tenant-scoped roles must carry
 * their tenant ids ({@code msp_id}, and {@code client_id} for client admins); a token without them is refused.
 */
@RequestScoped
public class CurrentCaller {

    public static final String MSP_CLAIM = "msp_id";
    public static final String CLIENT_CLAIM = "client_id";

    @Inject
    JsonWebToken token;

    private Caller caller;

    public Caller get() {
        if (caller == null) {
            caller = resolve();
        }
        return caller;
    }

    private Caller resolve() {
        if (token == null || token.getRawToken() == null) {
            throw new AuthenticationFailedException("no token");
        }
        Role role = strongestRole();
        if (role == null) {
            throw new ForbiddenException("no usersync role");
        }
        String subject = token.getSubject() == null ? token.getName() : token.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 150) {
            throw new AuthenticationFailedException("token without a usable subject");
        }
        UUID msp = uuidClaim(MSP_CLAIM);
        UUID client = uuidClaim(CLIENT_CLAIM);
        if (role != Role.OPERATOR && msp == null) {
            throw new AuthenticationFailedException("tenant role without msp_id");
        }
        if (role == Role.CLIENT_ADMIN && client == null) {
            throw new AuthenticationFailedException("client-admin without client_id");
        }
        return new Caller(subject, role, role == Role.OPERATOR ? null : msp,
                role == Role.CLIENT_ADMIN ? client : null);
    }

    private Role strongestRole() {
        if (token.getGroups() == null) {
            return null;
        }
        Role best = null;
        for (String group : token.getGroups()) {
            Role role = Role.fromClaim(group);
            if (role != null && (best == null || role.ordinal() < best.ordinal())) {
                best = role;
            }
        }
        return best;
    }

    private UUID uuidClaim(String name) {
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
