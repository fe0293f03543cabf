package io.usersync.tenant;

import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import java.util.Objects;
import java.util.UUID;

/**
 * Who is calling and which tenant they are confined to. Every service method that reads or changes tenant data
 * takes a caller and checks it; a resource of another tenant is reported as not found, never revealed.
 *
 * @param subject  the token subject, recorded as the actor of changes
 * @param role     the strongest role the token carries
 * @param mspId    the MSP a {@code msp-admin} or {@code client-admin} belongs to (null for operators)
 * @param clientId the client account of a {@code client-admin} (null otherwise)
 */
public record Caller(String subject, Role role, UUID mspId, UUID clientId) {

    public Caller {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(role);
        if (role != Role.OPERATOR && mspId == null) {
            throw new IllegalArgumentException("a tenant-scoped caller needs an MSP");
        }
        if (role == Role.CLIENT_ADMIN && clientId == null) {
            throw new IllegalArgumentException("a client admin needs a client account");
        }
    }

    /** The identity used for work the service does on its own (sync workers, billing jobs). */
    public static Caller system(String name) {
        return new Caller("system:" + name, Role.OPERATOR, null, null);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    public boolean canSeeMsp(UUID msp) {
        return isOperator() || (msp != null && msp.equals(mspId));
    }

    /** Whether the caller may see (and, role permitting, manage) the given client account. */
    public boolean canSeeClient(UUID msp, UUID client) {
        return switch (role) {
            case OPERATOR -> true;
            case MSP_ADMIN -> msp != null && msp.equals(mspId);
            case CLIENT_ADMIN -> msp != null && msp.equals(mspId) && client != null && client.equals(clientId);
        };
    }

    /** Refuses (403) callers below the given role; tenancy is checked separately. */
    public void requireAtLeast(Role minimum) {
        boolean allowed = switch (minimum) {
            case OPERATOR -> role == Role.OPERATOR;
            case MSP_ADMIN -> role == Role.OPERATOR || role == Role.MSP_ADMIN;
            case CLIENT_ADMIN -> true;
        };
        if (!allowed) {
            throw new DomainException(ProblemType.FORBIDDEN,
                    "This operation needs the " + minimum.claim() + " role or higher");
        }
    }
}
