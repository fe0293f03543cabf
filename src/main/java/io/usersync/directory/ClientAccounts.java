package io.usersync.directory;

import io.usersync.common.error.DomainException;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.ClientStatus;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Client-account operations that also involve its users: creation together with the first administrator (so no
 * client account ever exists without an active administrator) and user-limit changes checked against the
 * current active users.
 */
@ApplicationScoped
@Transactional
public class ClientAccounts {

    @Inject
    TenantService tenants;

    @Inject
    UserService users;

    /** The new client account and its first administrator. */
    public record Onboarded(ClientAccount client, User administrator) {
    }

    public Onboarded create(Caller caller, UUID mspId, String name, ClientStatus status, BillingModel model,
            Integer userLimit, UserService.NewUser administrator) {
        ClientAccount client = tenants.createClient(caller, mspId, name, status, model, userLimit);
        try {
            User admin = users.createLocked(caller, client, new UserService.NewUser(administrator.firstName(),
                    administrator.lastName(), administrator.email(), true, true));
            return new Onboarded(client, admin);
        } catch (DomainException e) {
            // Name the nested field the way the request spells it.
            throw new DomainException(e.type(), e.getMessage(), e.fields().stream()
                    .map(f -> new DomainException.FieldProblem("administrator." + f.field(), f.message()))
                    .toList());
        }
    }

    public ClientAccount update(Caller caller, UUID clientId, String name, Integer userLimit,
            boolean clearUserLimit) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        long active = UserService.countActive(client);
        return tenants.updateClient(caller, clientId, name, userLimit, clearUserLimit, active);
    }
}
