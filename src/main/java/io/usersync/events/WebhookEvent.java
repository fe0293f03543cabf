package io.usersync.events;

import io.usersync.common.Ids;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A fact a tenant may want to hear about through its webhooks. {@code id} becomes the {@code webhook-id} (the
 * same on every retry and for every endpoint, the receiver's idempotency key); {@code data} becomes the payload's
 * {@code data} member and holds only JSON values (strings, numbers, booleans, null, lists and maps of them), with
 * ids and instants as strings.
 *
 * @param clientId the client account it is about, or null for an MSP-wide fact (invoices, notices)
 */
public record WebhookEvent(UUID id, UUID mspId, UUID clientId, WebhookEventType type, Instant occurredAt,
        Map<String, Object> data) {

    public WebhookEvent {
        Objects.requireNonNull(id);
        Objects.requireNonNull(mspId);
        Objects.requireNonNull(type);
        Objects.requireNonNull(occurredAt);
        if (type.mspOnly() && clientId != null) {
            throw new IllegalArgumentException(type.wireName() + " is about an MSP, not a client account");
        }
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /**
     * A user's billable state changed: {@code active} is the new state. Its id is the id of the user's history
     * event (and of the billing outbox event), so all three can be correlated.
     *
     * @param cause     MANUAL, SYNC or DELETE
     * @param syncRunId the run that made the change (cause SYNC), else null
     */
    public static WebhookEvent userBillableChanged(UUID eventId, UUID mspId, UUID clientId, UUID userId,
            boolean active, String cause, String actor, UUID syncRunId, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mspId", mspId.toString());
        data.put("clientId", clientId.toString());
        data.put("userId", userId.toString());
        data.put("change", active ? "activated" : "deactivated");
        data.put("active", active);
        data.put("cause", cause);
        data.put("actor", actor);
        data.put("syncRunId", syncRunId == null ? null : syncRunId.toString());
        data.put("occurredAt", at.toString());
        return new WebhookEvent(eventId, mspId, clientId, WebhookEventType.USER_BILLABLE_CHANGED, at, data);
    }

    /** A sync run reached a state tenants subscribe to; {@code run} describes it (ids, status, counts, ...). */
    public static WebhookEvent syncRun(WebhookEventType type, UUID mspId, UUID clientId, Instant at,
            Map<String, Object> run) {
        if (!type.wireName().startsWith("sync.run.")) {
            throw new IllegalArgumentException(type + " is not a sync run event");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mspId", mspId.toString());
        data.put("clientId", clientId.toString());
        data.putAll(run);
        return new WebhookEvent(Ids.newId(), mspId, clientId, type, at, data);
    }

    /**
     * An invoice was issued to the MSP.
     *
     * @param source MONTHLY (a billing period) or CONTRACT (an annual contract)
     */
    public static WebhookEvent invoiceIssued(UUID mspId, UUID invoiceId, String source, long totalMinor,
            String currency, Instant issuedAt, Map<String, Object> details) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mspId", mspId.toString());
        data.put("invoiceId", invoiceId.toString());
        data.put("source", source);
        data.put("totalMinor", totalMinor);
        data.put("currency", currency);
        data.put("issuedAt", issuedAt.toString());
        data.putAll(details);
        return new WebhookEvent(Ids.newId(), mspId, null, WebhookEventType.BILLING_INVOICE_ISSUED, issuedAt, data);
    }

    /** A billing notice (e.g. {@code SUSPENSION_RECOMMENDED}) was raised about the MSP. */
    public static WebhookEvent noticeRaised(UUID mspId, UUID noticeId, String kind, Instant raisedAt,
            Map<String, Object> details) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mspId", mspId.toString());
        data.put("noticeId", noticeId.toString());
        data.put("kind", kind);
        data.put("raisedAt", raisedAt.toString());
        data.putAll(details);
        return new WebhookEvent(Ids.newId(), mspId, null, WebhookEventType.BILLING_NOTICE_RAISED, raisedAt, data);
    }
}
