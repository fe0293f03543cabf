package io.usersync.events;

import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One fact the billing core must learn about, written to the outbox in the same transaction as the change.
 * The event id is permanent and unique: consumers deduplicate on it.
 */
public record OutboxEvent(
        UUID eventId,
        UUID mspId,
        Kind kind,
        UUID clientId,
        UUID userId,
        Instant occurredAt,
        Boolean wasActive,
        Boolean nowActive,
        ClientStatus clientStatus,
        BillingModel billingModel,
        Boolean clientDeleted,
        Boolean paymentMethod) {

    /** The kinds of fact carried by the outbox. */
    public enum Kind {
        /** An MSP exists; {@code occurredAt} is its creation instant, the billing anchor. */
        MSP_CREATED,
        /** An MSP's payment-method-on-file flag changed. */
        MSP_PAYMENT_METHOD,
        /** A client account was created or its status, billing model or deletion changed (full new state). */
        CLIENT_STATE,
        /** A user's active flag changed (or an active user was deleted: now inactive). */
        USER_ACTIVE
    }

    public OutboxEvent {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(mspId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(occurredAt);
    }

    public static OutboxEvent mspCreated(UUID eventId, UUID mspId, Instant createdAt, boolean paymentMethod) {
        return new OutboxEvent(eventId, mspId, Kind.MSP_CREATED, null, null, createdAt, null, null, null, null, null,
                paymentMethod);
    }

    public static OutboxEvent mspPaymentMethod(UUID eventId, UUID mspId, Instant at, boolean onFile) {
        return new OutboxEvent(eventId, mspId, Kind.MSP_PAYMENT_METHOD, null, null, at, null, null, null, null, null,
                onFile);
    }

    public static OutboxEvent clientState(UUID eventId, UUID mspId, UUID clientId, Instant at, ClientStatus status,
            BillingModel model, boolean deleted) {
        return new OutboxEvent(eventId, mspId, Kind.CLIENT_STATE, clientId, null, at, null, null, status, model,
                deleted, null);
    }

    public static OutboxEvent userActive(UUID eventId, UUID mspId, UUID clientId, UUID userId, Instant at,
            boolean wasActive, boolean nowActive) {
        return new OutboxEvent(eventId, mspId, Kind.USER_ACTIVE, clientId, userId, at, wasActive, nowActive, null,
                null, null, null);
    }
}
