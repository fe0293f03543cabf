package io.usersync.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usersync.common.Ids;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEventType;
import io.usersync.events.WebhookEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The outbox side of webhooks ({@link WebhookEvents}): in the caller's transaction, each event that at least one
 * endpoint of its tenant subscribes to becomes a {@code webhook_message} (the exact body that is signed and sent)
 * and one {@code webhook_delivery} per subscribed endpoint, due at once. Endpoints that are disabled get the
 * delivery too, as FAILED ("endpoint disabled"), so nothing is silently dropped and a later recover can send it.
 * One query per MSP per call finds the endpoints; with none, nothing is written.
 */
@ApplicationScoped
public class WebhookPublisher implements WebhookEvents {

    static final String DISABLED_AT_PUBLISH = "the endpoint was disabled when the event occurred";

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    AppClock clock;

    @Inject
    Event<WebhooksQueued> queued;

    /** An endpoint as far as routing is concerned. */
    record Subscriber(UUID id, UUID clientId, Set<WebhookEventType> types, boolean enabled) {
        boolean wants(WebhookEvent event) {
            return types.contains(event.type()) && (clientId == null || clientId.equals(event.clientId()))
                    // the notice that an endpoint was disabled goes to the tenant's other endpoints
                    && !(event.type() == WebhookEventType.WEBHOOK_ENDPOINT_DISABLED
                            && id.toString().equals(event.data().get("endpointId")));
        }
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishAll(Collection<WebhookEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Map<UUID, List<WebhookEvent>> byMsp = new LinkedHashMap<>();
        for (WebhookEvent event : events) {
            byMsp.computeIfAbsent(event.mspId(), k -> new ArrayList<>()).add(event);
        }
        Instant now = clock.now();
        List<Object[]> messages = new ArrayList<>();
        List<Object[]> deliveries = new ArrayList<>();
        int due = 0;
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<UUID, List<WebhookEvent>> entry : byMsp.entrySet()) {
                List<Subscriber> subscribers = subscribers(c, entry.getKey());
                if (subscribers.isEmpty()) {
                    continue;
                }
                for (WebhookEvent event : entry.getValue()) {
                    List<Subscriber> wanting = subscribers.stream().filter(s -> s.wants(event)).toList();
                    if (wanting.isEmpty()) {
                        continue;
                    }
                    messages.add(new Object[] { event.id(), event.mspId(), event.clientId(), event.type().wireName(),
                            event.occurredAt(), body(event), now });
                    for (Subscriber s : wanting) {
                        deliveries.add(new Object[] { Ids.newId(), event.mspId(), s.id(), event.id(),
                                s.enabled() ? "PENDING" : "FAILED", s.enabled() ? now : null,
                                s.enabled() ? null : DISABLED_AT_PUBLISH, now });
                        if (s.enabled()) {
                            due++;
                        }
                    }
                }
            }
            Db.batch(c, "INSERT INTO webhook_message (id, msp_id, client_id, event_type, occurred_at, payload,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", messages);
            Db.batch(c, "INSERT INTO webhook_delivery (id, msp_id, endpoint_id, message_id, status, attempts,"
                    + " schedule_step, next_attempt_at, last_error, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)",
                    deliveries);
        } catch (SQLException e) {
            throw new IllegalStateException("could not queue webhook events", e);
        }
        if (due > 0) {
            queued.fire(new WebhooksQueued(due));
        }
    }

    private static List<Subscriber> subscribers(Connection c, UUID mspId) {
        return Db.query(c, "SELECT id, client_id, event_types, enabled FROM webhook_endpoint WHERE msp_id = ?",
                rs -> new Subscriber(Db.uuid(rs, "id"), Db.uuid(rs, "client_id"),
                        EventTypes.parse(rs.getString("event_types")), rs.getBoolean("enabled")), mspId);
    }

    /** The Standard Webhooks payload: {@code {"type", "timestamp", "data"}}, compact JSON, exactly as signed. */
    String body(WebhookEvent event) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", event.type().wireName());
        payload.put("timestamp", event.occurredAt().toString());
        payload.put("data", event.data());
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("webhook event data is not JSON: " + e.getMessage(), e);
        }
    }
}
