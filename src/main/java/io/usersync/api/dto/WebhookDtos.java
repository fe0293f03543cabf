package io.usersync.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.usersync.webhook.WebhookViews;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of webhook endpoints and their delivery log. Secrets are shown once, never stored. */
public final class WebhookDtos {

    private WebhookDtos() {
    }

    @Schema(description = "A webhook endpoint to register")
    public record CreateWebhookEndpoint(
            @Schema(required = true, description = "https URL the events are POSTed to; its host must resolve to"
                    + " public addresses only", example = "https://hooks.example.com/usersync") String url,
            @Schema(required = true, description = "Event types to receive", example = "[\"sync.run.failed\"]")
            List<String> eventTypes,
            @Schema(description = "Free text for people, at most 200 characters") String description) {
    }

    @Schema(description = "Changes to an endpoint; absent members stay as they are")
    public record UpdateWebhookEndpoint(String url, List<String> eventTypes, String description,
            @Schema(description = "false disables (pending deliveries fail), true enables again") Boolean enabled) {
    }

    @Schema(description = "Secret rotation")
    public record RotateSecret(@Schema(description = "How long the previous secret keeps signing too (minutes;"
            + " default 1440, 0 for none)") Integer overlapMinutes) {
    }

    @Schema(description = "Which failed deliveries to send again")
    public record RecoverDeliveries(@Schema(required = true, description = "Failed deliveries created at or after"
            + " this instant are sent again") Instant since) {
    }

    public record RecoverResult(int requeued) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookEndpointView(UUID id, UUID mspId, UUID clientId, String url, String description,
            List<String> eventTypes, boolean enabled, String disabledReason, Instant disabledAt,
            Instant failingSince, Instant secretRotatedAt, Instant previousSecretExpiresAt, String createdBy,
            Instant createdAt, Instant updatedAt,
            @Schema(description = "The signing secret (whsec_...), only in the answer that created or rotated it")
            String secret) {

        public static WebhookEndpointView of(WebhookViews.Endpoint e) {
            return of(e, null);
        }

        public static WebhookEndpointView of(WebhookViews.WithSecret created) {
            return of(created.endpoint(), created.secret());
        }

        private static WebhookEndpointView of(WebhookViews.Endpoint e, String secret) {
            return new WebhookEndpointView(e.id(), e.mspId(), e.clientId(), e.url(), e.description(), e.eventTypes(),
                    e.enabled(), e.disabledReason(), e.disabledAt(), e.failingSince(), e.secretRotatedAt(),
                    e.previousSecretExpiresAt(), e.createdBy(), e.createdAt(), e.updatedAt(), secret);
        }
    }

    public record WebhookDeliveryView(UUID id, UUID endpointId, UUID eventId, String eventType, Instant occurredAt,
            String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatusCode,
            Integer lastLatencyMs, String lastError, Instant deliveredAt, Instant createdAt) {

        public static WebhookDeliveryView of(WebhookViews.Delivery d) {
            return new WebhookDeliveryView(d.id(), d.endpointId(), d.eventId(), d.eventType(), d.occurredAt(),
                    d.status(), d.attempts(), d.nextAttemptAt(), d.lastAttemptAt(), d.lastStatusCode(),
                    d.lastLatencyMs(), d.lastError(), d.deliveredAt(), d.createdAt());
        }
    }

    public record WebhookAttemptView(UUID id, UUID deliveryId, UUID eventId, String eventType, Instant attemptedAt,
            Integer statusCode, int latencyMs, boolean succeeded, String error, String responseBody,
            boolean manual) {

        public static WebhookAttemptView of(WebhookViews.Attempt a) {
            return new WebhookAttemptView(a.id(), a.deliveryId(), a.eventId(), a.eventType(), a.attemptedAt(),
                    a.statusCode(), a.latencyMs(), a.succeeded(), a.error(), a.responseBody(), a.manual());
        }
    }

    public record WebhookDeliveryDetailView(WebhookDeliveryView delivery, List<WebhookAttemptView> attempts) {

        public static WebhookDeliveryDetailView of(WebhookViews.DeliveryDetail d) {
            return new WebhookDeliveryDetailView(WebhookDeliveryView.of(d.delivery()),
                    d.attempts().stream().map(WebhookAttemptView::of).toList());
        }
    }
}
