package io.usersync.api.dto;

import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.ClientStatus;
import io.usersync.tenant.ClientStatusChange;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;

/** Request and response bodies of client-account endpoints. */
public final class ClientDtos {

    private ClientDtos() {
    }

    /** The first administrator, created with the client account. */
    public record Administrator(@NotNull String firstName, @NotNull String lastName, @NotNull String email) {
    }

    public record CreateClient(@NotNull String name, ClientStatus status, BillingModel billingModel,
            Integer userLimit, @NotNull @Valid Administrator administrator) {
    }

    /** Absent members are left unchanged; {@code removeUserLimit: true} makes the account unlimited. */
    public record UpdateClient(String name, Integer userLimit, Boolean removeUserLimit) {
    }

    public record ChangeStatus(@NotNull ClientStatus status) {
    }

    /**
     * The billing model to switch to. ANNUAL only while an annual contract covers the account (409
     * {@code contract-required}), MONTHLY not while one does (409 {@code contract-in-effect}).
     */
    public record ChangeBillingModel(@NotNull BillingModel billingModel) {
    }

    /**
     * The new end of the account's running trial: an ISO-8601 instant with offset, from now (ends the trial at
     * once) up to {@code usersync.billing.trial.max-days} after the trial started.
     */
    public record ChangeTrial(String trialEndsAt) {
    }

    /** {@code trialStartedAt} / {@code trialEndsAt}: the current trial, null unless the status is TRIAL. */
    public record ClientView(UUID id, UUID mspId, String name, ClientStatus status, BillingModel billingModel,
            Integer userLimit, Instant createdAt, Instant trialStartedAt, Instant trialEndsAt) {
        public static ClientView of(ClientAccount c) {
            return new ClientView(c.id, c.mspId, c.name, c.status, c.billingModel, c.userLimit, c.createdAt,
                    c.trialStartedAt, c.trialEndsAt);
        }
    }

    public record CreatedClient(ClientView client, UserDtos.UserView administrator) {
    }

    /** {@code trialEndsAt}: the end of the account's trial after the change (null outside TRIAL). */
    public record StatusChangeView(UUID id, ClientStatusChange.Kind kind, ClientStatus oldStatus,
            ClientStatus newStatus, BillingModel oldBillingModel, BillingModel newBillingModel, Instant trialEndsAt,
            String actor, Instant occurredAt) {
        public static StatusChangeView of(ClientStatusChange c) {
            return new StatusChangeView(c.id, c.kind, c.oldStatus, c.newStatus, c.oldBillingModel,
                    c.newBillingModel, c.trialEndsAt, c.actor, c.occurredAt);
        }
    }
}
