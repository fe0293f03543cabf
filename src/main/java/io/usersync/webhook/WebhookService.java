package io.usersync.webhook;

import io.usersync.common.Ids;
import io.usersync.common.Page;
import io.usersync.common.crypto.SecretCipher;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEventType;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import io.usersync.webhook.WebhookViews.Attempt;
import io.usersync.webhook.WebhookViews.Delivery;
import io.usersync.webhook.WebhookViews.DeliveryDetail;
import io.usersync.webhook.WebhookViews.Endpoint;
import io.usersync.webhook.WebhookViews.WithSecret;
import io.usersync.webhook.delivery.Signature;
import io.usersync.webhook.egress.Resolver;
import io.usersync.webhook.egress.UrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Webhook endpoints of an MSP or of a client account, their secrets and their delivery log, scoped by the caller
 * exactly like the rest of the API: an MSP's endpoints are for operators and that MSP's administrators (client
 * administrators get 403), a client account's endpoints also for its client administrators; another tenant's
 * ids answer 404.
 */
@ApplicationScoped
@Transactional
public class WebhookService {

    static final String ENDPOINT_COLUMNS = "id, msp_id, client_id, url, description, event_types, enabled,"
            + " disabled_reason, disabled_at, failing_since, secret_rotated_at, previous_expires_at, created_by,"
            + " created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "d.id, d.endpoint_id, d.message_id, m.event_type, m.occurred_at,"
            + " d.status, d.attempts, d.next_attempt_at, d.lease_owner, d.last_attempt_at, d.last_status_code,"
            + " d.last_latency_ms, d.last_error, d.delivered_at, d.created_at";
    private static final String ATTEMPT_COLUMNS = "a.id, a.delivery_id, d.message_id, m.event_type, a.attempted_at,"
            + " a.status_code, a.latency_ms, a.succeeded, a.error, a.response_body, a.manual";
    private static final int MAX_DESCRIPTION = 200;
    private static final int ATTEMPTS_SHOWN = 100;

    @Inject
    TenantService tenants;

    @Inject
    DataSource dataSource;

    @Inject
    EndpointSecrets secrets;

    @Inject
    WebhookConfig config;

    @Inject
    AppClock clock;

    @Inject
    Event<WebhooksQueued> queued;

    /** Name resolution for URL checks at registration (replaced in tests). */
    volatile Resolver resolver = Resolver.SYSTEM;

    /**
     * Whose endpoints: an MSP ({@code clientId} null) or one client account. Resolved against the caller on every
     * call.
     */
    public record Owner(UUID mspId, UUID clientId) {
        public static Owner msp(UUID mspId) {
            return new Owner(mspId, null);
        }

        public static Owner client(UUID clientId) {
            return new Owner(null, clientId);
        }
    }

    /** The owner's tenancy as stored: MSP and (for a client account) client id. */
    private record Scope(UUID mspId, UUID clientId) {
    }

    private Scope scope(Caller caller, Owner owner) {
        if (owner.clientId() != null) {
            ClientAccount client = tenants.getClient(caller, owner.clientId());
            return new Scope(client.mspId, client.id);
        }
        return new Scope(tenants.getMsp(caller, owner.mspId()).id, null);
    }

    // ---------------------------------------------------------------- endpoints

    public WithSecret create(Caller caller, Owner owner, String url, String description, List<String> eventTypes) {
        Scope scope = scope(caller, owner);
        String checkedUrl = UrlPolicy.check("url", url, config.allowLoopback(), resolver);
        Set<WebhookEventType> types = EventTypes.validate("eventTypes", eventTypes, scope.clientId() != null);
        String checkedDescription = description == null ? null : description(description);
        try (Connection c = dataSource.getConnection()) {
            // the owner's row lock serialises concurrent creations, so the limit holds
            lockOwner(c, scope);
            long existing = Db.query(c, "SELECT COUNT(*) AS n FROM webhook_endpoint WHERE msp_id = ? AND client_id <=> ?",
                    rs -> rs.getLong("n"), scope.mspId(), scope.clientId()).getFirst();
            if (existing >= config.maxEndpoints()) {
                throw new DomainException(ProblemType.CONFLICT, "At most " + config.maxEndpoints()
                        + " webhook endpoints per " + (scope.clientId() == null ? "MSP" : "client account")
                        + "; delete one first");
            }
            UUID id = Ids.newId();
            Instant now = clock.now();
            byte[] key = Signature.newKey();
            SecretCipher.Sealed sealed = secrets.seal(key, scope.mspId(), scope.clientId(), id);
            Db.update(c, "INSERT INTO webhook_endpoint (id, msp_id, client_id, url, description, event_types, enabled,"
                    + " secret_key_id, secret_nonce, secret_ciphertext, secret_rotated_at, created_by, created_at,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?, ?, ?)", id, scope.mspId(),
                    scope.clientId(), checkedUrl, checkedDescription, EventTypes.format(types), sealed.keyId(),
                    sealed.nonce(), sealed.ciphertext(), now, actor(caller), now, now);
            return new WithSecret(endpoint(c, scope, id), Signature.secret(key));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Endpoint> list(Caller caller, Owner owner) {
        Scope scope = scope(caller, owner);
        try (Connection c = dataSource.getConnection()) {
            return Db.query(c, "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE msp_id = ?"
                    + " AND client_id <=> ? ORDER BY id", WebhookService::endpoint, scope.mspId(), scope.clientId());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Endpoint get(Caller caller, Owner owner, UUID endpointId) {
        Scope scope = scope(caller, owner);
        try (Connection c = dataSource.getConnection()) {
            return endpoint(c, scope, endpointId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Changes an endpoint; null members stay as they are. Disabling fails its pending deliveries (a recover sends
     * them again); enabling clears the reason it was disabled for and the failure streak.
     */
    public Endpoint update(Caller caller, Owner owner, UUID endpointId, String url, String description,
            List<String> eventTypes, Boolean enabled) {
        Scope scope = scope(caller, owner);
        String checkedUrl = url == null ? null : UrlPolicy.check("url", url, config.allowLoopback(), resolver);
        Set<WebhookEventType> types = eventTypes == null ? null
                : EventTypes.validate("eventTypes", eventTypes, scope.clientId() != null);
        String checkedDescription = description == null ? null : description(description);
        try (Connection c = dataSource.getConnection()) {
            Endpoint current = lockEndpoint(c, scope, endpointId);
            Instant now = clock.now();
            Db.update(c, "UPDATE webhook_endpoint SET url = COALESCE(?, url), description = COALESCE(?, description),"
                    + " event_types = COALESCE(?, event_types), updated_at = ? WHERE msp_id = ? AND id = ?", checkedUrl,
                    checkedDescription, types == null ? null : EventTypes.format(types), now, scope.mspId(),
                    endpointId);
            if (Boolean.TRUE.equals(enabled) && !current.enabled()) {
                Db.update(c, "UPDATE webhook_endpoint SET enabled = TRUE, disabled_reason = NULL, disabled_at = NULL,"
                        + " failing_since = NULL WHERE msp_id = ? AND id = ?", scope.mspId(), endpointId);
            } else if (Boolean.FALSE.equals(enabled) && current.enabled()) {
                disable(c, scope.mspId(), endpointId, "disabled by " + actor(caller), now);
            }
            return endpoint(c, scope, endpointId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes an endpoint with its deliveries and their log. Messages other endpoints still need stay. */
    public void delete(Caller caller, Owner owner, UUID endpointId) {
        Scope scope = scope(caller, owner);
        try (Connection c = dataSource.getConnection()) {
            lockEndpoint(c, scope, endpointId);
            Db.update(c, "DELETE FROM webhook_attempt WHERE msp_id = ? AND endpoint_id = ?", scope.mspId(), endpointId);
            Db.update(c, "DELETE FROM webhook_delivery WHERE msp_id = ? AND endpoint_id = ?", scope.mspId(),
                    endpointId);
            Db.update(c, "DELETE FROM webhook_endpoint WHERE msp_id = ? AND id = ?", scope.mspId(), endpointId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces the signing secret. The previous one keeps signing (a second signature in
     * {@code webhook-signature}) for {@code overlap} (default {@code usersync.webhooks.secret-overlap}, 0 for
     * none), so receivers can switch without losing a webhook. A secret older than the previous one is dropped.
     */
    public WithSecret rotateSecret(Caller caller, Owner owner, UUID endpointId, Duration overlap) {
        Scope scope = scope(caller, owner);
        Duration keep = overlap == null ? config.secretOverlap() : overlap;
        if (keep.isNegative() || keep.compareTo(config.maxSecretOverlap()) > 0) {
            throw DomainException.invalidField("overlapMinutes", "must be from 0 to "
                    + config.maxSecretOverlap().toMinutes());
        }
        try (Connection c = dataSource.getConnection()) {
            lockEndpoint(c, scope, endpointId);
            Instant now = clock.now();
            byte[] key = Signature.newKey();
            SecretCipher.Sealed sealed = secrets.seal(key, scope.mspId(), scope.clientId(), endpointId);
            if (keep.isZero()) {
                Db.update(c, "UPDATE webhook_endpoint SET previous_key_id = NULL, previous_nonce = NULL,"
                        + " previous_ciphertext = NULL, previous_expires_at = NULL WHERE msp_id = ? AND id = ?",
                        scope.mspId(), endpointId);
            } else {
                Db.update(c, "UPDATE webhook_endpoint SET previous_key_id = secret_key_id, previous_nonce ="
                        + " secret_nonce, previous_ciphertext = secret_ciphertext, previous_expires_at = ?"
                        + " WHERE msp_id = ? AND id = ?", now.plus(keep), scope.mspId(), endpointId);
            }
            Db.update(c, "UPDATE webhook_endpoint SET secret_key_id = ?, secret_nonce = ?, secret_ciphertext = ?,"
                    + " secret_rotated_at = ?, updated_at = ? WHERE msp_id = ? AND id = ?", sealed.keyId(),
                    sealed.nonce(), sealed.ciphertext(), now, now, scope.mspId(), endpointId);
            return new WithSecret(endpoint(c, scope, endpointId), Signature.secret(key));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- delivery log

    /** The endpoint's deliveries, newest first, optionally of one status (PENDING, SUCCEEDED, FAILED). */
    public Page<Delivery> deliveries(Caller caller, Owner owner, UUID endpointId, String status, UUID before,
            int limit) {
        Scope scope = scope(caller, owner);
        String wanted = status == null || status.isEmpty() ? null : status.toUpperCase(Locale.ROOT);
        if (wanted != null && !Set.of("PENDING", "SUCCEEDED", "FAILED").contains(wanted)) {
            throw DomainException.invalidField("status", "must be PENDING, SUCCEEDED or FAILED");
        }
        try (Connection c = dataSource.getConnection()) {
            endpoint(c, scope, endpointId);
            List<Delivery> rows = Db.query(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery d"
                    + " JOIN webhook_message m ON m.msp_id = d.msp_id AND m.id = d.message_id"
                    + " WHERE d.msp_id = ? AND d.endpoint_id = ?" + (wanted == null ? "" : " AND d.status = ?")
                    + (before == null ? "" : " AND d.id < ?") + " ORDER BY d.id DESC LIMIT " + (limit + 1),
                    WebhookService::delivery, params(scope.mspId(), endpointId, wanted, before));
            return Page.of(rows, limit, Delivery::id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One delivery with its latest attempts (up to 100), newest first. */
    public DeliveryDetail delivery(Caller caller, Owner owner, UUID endpointId, UUID deliveryId) {
        Scope scope = scope(caller, owner);
        try (Connection c = dataSource.getConnection()) {
            endpoint(c, scope, endpointId);
            Delivery delivery = delivery(c, scope.mspId(), endpointId, deliveryId);
            List<Attempt> attempts = Db.query(c, "SELECT " + ATTEMPT_COLUMNS + " FROM webhook_attempt a"
                    + " JOIN webhook_delivery d ON d.msp_id = a.msp_id AND d.id = a.delivery_id"
                    + " JOIN webhook_message m ON m.msp_id = d.msp_id AND m.id = d.message_id"
                    + " WHERE a.msp_id = ? AND a.delivery_id = ? ORDER BY a.id DESC LIMIT " + ATTEMPTS_SHOWN,
                    WebhookService::attempt, scope.mspId(), deliveryId);
            return new DeliveryDetail(delivery, attempts);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The delivery log of an endpoint: every attempt, newest first. */
    public Page<Attempt> attempts(Caller caller, Owner owner, UUID endpointId, UUID before, int limit) {
        Scope scope = scope(caller, owner);
        try (Connection c = dataSource.getConnection()) {
            endpoint(c, scope, endpointId);
            List<Attempt> rows = Db.query(c, "SELECT " + ATTEMPT_COLUMNS + " FROM webhook_attempt a"
                    + " JOIN webhook_delivery d ON d.msp_id = a.msp_id AND d.id = a.delivery_id"
                    + " JOIN webhook_message m ON m.msp_id = d.msp_id AND m.id = d.message_id"
                    + " WHERE a.msp_id = ? AND a.endpoint_id = ?" + (before == null ? "" : " AND a.id < ?")
                    + " ORDER BY a.id DESC LIMIT " + (limit + 1), WebhookService::attempt,
                    params(scope.mspId(), endpointId, null, before));
            return Page.of(rows, limit, Attempt::id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a delivery again now (whatever its state), with a fresh retry schedule. Refused while the endpoint is
     * disabled or an attempt of it is in flight.
     */
    public Delivery redeliver(Caller caller, Owner owner, UUID endpointId, UUID deliveryId) {
        Scope scope = scope(caller, owner);
        try (Connection c = dataSource.getConnection()) {
            Endpoint endpoint = lockEndpoint(c, scope, endpointId);
            requireEnabled(endpoint);
            Delivery delivery = delivery(c, scope.mspId(), endpointId, deliveryId);
            Instant now = clock.now();
            int changed = Db.update(c, "UPDATE webhook_delivery SET status = 'PENDING', schedule_step = 0,"
                    + " next_attempt_at = ?, requeued_by = ? WHERE msp_id = ? AND id = ?"
                    + " AND NOT (status = 'PENDING' AND lease_owner IS NOT NULL AND next_attempt_at > ?)", now,
                    actor(caller), scope.mspId(), delivery.id(), now);
            if (changed == 0) {
                throw new DomainException(ProblemType.CONFLICT, "An attempt of this delivery is in progress; look"
                        + " at its result first");
            }
            queued.fire(new WebhooksQueued(1));
            return delivery(c, scope.mspId(), endpointId, deliveryId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends again every FAILED delivery of the endpoint created at or after {@code since} (after an outage or
     * after the endpoint was disabled and enabled again). Returns how many were queued.
     */
    public int recover(Caller caller, Owner owner, UUID endpointId, Instant since) {
        Scope scope = scope(caller, owner);
        if (since == null) {
            throw DomainException.invalidField("since", "is required");
        }
        try (Connection c = dataSource.getConnection()) {
            requireEnabled(lockEndpoint(c, scope, endpointId));
            int queuedNow = Db.update(c, "UPDATE webhook_delivery SET status = 'PENDING', schedule_step = 0,"
                    + " next_attempt_at = ?, lease_owner = NULL, requeued_by = ? WHERE msp_id = ? AND endpoint_id = ?"
                    + " AND status = 'FAILED' AND created_at >= ?", clock.now(), actor(caller), scope.mspId(),
                    endpointId, since);
            if (queuedNow > 0) {
                queued.fire(new WebhooksQueued(queuedNow));
            }
            return queuedNow;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- shared with the dispatcher

    /**
     * Disables an endpoint (if enabled): its pending deliveries fail with the reason, so nothing waits silently.
     *
     * @return whether this call disabled it
     */
    static boolean disable(Connection c, UUID mspId, UUID endpointId, String reason, Instant now) {
        String why = reason.length() > 500 ? reason.substring(0, 500) : reason;
        if (Db.update(c, "UPDATE webhook_endpoint SET enabled = FALSE, disabled_reason = ?, disabled_at = ?,"
                + " updated_at = ? WHERE msp_id = ? AND id = ? AND enabled = TRUE", why, now, now, mspId,
                endpointId) == 0) {
            return false;
        }
        Db.update(c, "UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL, lease_owner = NULL,"
                + " last_error = ? WHERE msp_id = ? AND endpoint_id = ? AND status = 'PENDING'",
                "endpoint disabled: " + (why.length() > 400 ? why.substring(0, 400) : why), mspId, endpointId);
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private static void requireEnabled(Endpoint endpoint) {
        if (!endpoint.enabled()) {
            throw new DomainException(ProblemType.CONFLICT, "The endpoint is disabled"
                    + (endpoint.disabledReason() == null ? "" : " (" + endpoint.disabledReason() + ")")
                    + "; enable it first");
        }
    }

    private static void lockOwner(Connection c, Scope scope) {
        if (scope.clientId() != null) {
            Db.query(c, "SELECT id FROM client_account WHERE id = ? FOR UPDATE", rs -> 1, scope.clientId());
        } else {
            Db.query(c, "SELECT id FROM msp WHERE id = ? FOR UPDATE", rs -> 1, scope.mspId());
        }
    }

    private static Endpoint endpoint(Connection c, Scope scope, UUID endpointId) {
        List<Endpoint> rows = Db.query(c, "SELECT " + ENDPOINT_COLUMNS + " FROM webhook_endpoint WHERE msp_id = ?"
                + " AND id = ? AND client_id <=> ?", WebhookService::endpoint, scope.mspId(), endpointId,
                scope.clientId());
        if (rows.isEmpty()) {
            throw DomainException.notFound("Webhook endpoint");
        }
        return rows.getFirst();
    }

    private static Endpoint lockEndpoint(Connection c, Scope scope, UUID endpointId) {
        if (Db.query(c, "SELECT id FROM webhook_endpoint WHERE msp_id = ? AND id = ? AND client_id <=> ? FOR UPDATE",
                rs -> 1, scope.mspId(), endpointId, scope.clientId()).isEmpty()) {
            throw DomainException.notFound("Webhook endpoint");
        }
        return endpoint(c, scope, endpointId);
    }

    private static Delivery delivery(Connection c, UUID mspId, UUID endpointId, UUID deliveryId) {
        List<Delivery> rows = Db.query(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_delivery d"
                + " JOIN webhook_message m ON m.msp_id = d.msp_id AND m.id = d.message_id"
                + " WHERE d.msp_id = ? AND d.endpoint_id = ? AND d.id = ?", WebhookService::delivery, mspId,
                endpointId, deliveryId);
        if (rows.isEmpty()) {
            throw DomainException.notFound("Webhook delivery");
        }
        return rows.getFirst();
    }

    /** The caller's subject as recorded (the columns hold 200 characters). */
    private static String actor(Caller caller) {
        String subject = caller.subject();
        return subject.length() > 150 ? subject.substring(0, 150) : subject;
    }

    private static String description(String description) {
        String text = description.strip();
        if (text.length() > MAX_DESCRIPTION) {
            throw DomainException.invalidField("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw DomainException.invalidField("description", "must not contain control characters");
        }
        return text.isEmpty() ? null : text;
    }

    private static Object[] params(UUID mspId, UUID endpointId, String status, UUID before) {
        List<Object> params = new ArrayList<>(List.of(mspId, endpointId));
        if (status != null) {
            params.add(status);
        }
        if (before != null) {
            params.add(before);
        }
        return params.toArray();
    }

    static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(Db.uuid(rs, "id"), Db.uuid(rs, "msp_id"), Db.uuid(rs, "client_id"), rs.getString("url"),
                rs.getString("description"), EventTypes.parse(rs.getString("event_types")).stream()
                        .map(WebhookEventType::wireName).toList(), rs.getBoolean("enabled"),
                rs.getString("disabled_reason"), Db.instant(rs, "disabled_at"), Db.instant(rs, "failing_since"),
                Db.instant(rs, "secret_rotated_at"), Db.instant(rs, "previous_expires_at"),
                rs.getString("created_by"), Db.instant(rs, "created_at"), Db.instant(rs, "updated_at"));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        boolean inFlight = rs.getString("lease_owner") != null;
        return new Delivery(Db.uuid(rs, "id"), Db.uuid(rs, "endpoint_id"), Db.uuid(rs, "message_id"),
                rs.getString("event_type"), Db.instant(rs, "occurred_at"), status, rs.getInt("attempts"),
                status.equals("PENDING") && !inFlight ? Db.instant(rs, "next_attempt_at") : null,
                Db.instant(rs, "last_attempt_at"), Db.integer(rs, "last_status_code"),
                Db.integer(rs, "last_latency_ms"), rs.getString("last_error"), Db.instant(rs, "delivered_at"),
                Db.instant(rs, "created_at"));
    }

    private static Attempt attempt(ResultSet rs) throws SQLException {
        return new Attempt(Db.uuid(rs, "id"), Db.uuid(rs, "delivery_id"), Db.uuid(rs, "message_id"),
                rs.getString("event_type"), Db.instant(rs, "attempted_at"), Db.integer(rs, "status_code"),
                rs.getInt("latency_ms"), rs.getBoolean("succeeded"), rs.getString("error"),
                rs.getString("response_body"), rs.getBoolean("manual"));
    }
}
