package io.usersync.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the webhook service returns; never a secret except the one shown at creation or rotation. */
public final class WebhookViews {

    private WebhookViews() {
    }

    /** A registered endpoint. {@code clientId} is null for an MSP's endpoint. */
    public record Endpoint(UUID id, UUID mspId, UUID clientId, String url, String description,
            List<String> eventTypes, boolean enabled, String disabledReason, Instant disabledAt, Instant failingSince,
            Instant secretRotatedAt, Instant previousSecretExpiresAt, String createdBy, Instant createdAt,
            Instant updatedAt) {
    }

    /** An endpoint with its signing secret, answered once: at creation or rotation. */
    public record WithSecret(Endpoint endpoint, String secret) {
    }

    /** One event's delivery to one endpoint. */
    public record Delivery(UUID id, UUID endpointId, UUID eventId, String eventType, Instant occurredAt,
            String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatusCode,
            Integer lastLatencyMs, String lastError, Instant deliveredAt, Instant createdAt) {
    }

    /** One HTTP attempt. {@code statusCode} is null when there was no answer ({@code error} says why). */
    public record Attempt(UUID id, UUID deliveryId, UUID eventId, String eventType, Instant attemptedAt,
            Integer statusCode, int latencyMs, boolean succeeded, String error, String responseBody, boolean manual) {
    }

    /** A delivery with its attempts, newest first. */
    public record DeliveryDetail(Delivery delivery, List<Attempt> attempts) {
    }
}
