package io.usersync.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.scheduler.Scheduled;
import io.usersync.common.Ids;
import io.usersync.common.crypto.SecretCipher;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEventType;
import io.usersync.events.WebhookEvents;
import io.usersync.webhook.delivery.RetrySchedule;
import io.usersync.webhook.delivery.Signature;
import io.usersync.webhook.egress.Resolver;
import io.usersync.webhook.egress.WebhookHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Delivers queued webhooks, at least once, from any number of replicas.
 * <ul>
 * <li><b>Claim.</b> A replica takes due PENDING deliveries with {@code SELECT ... FOR UPDATE SKIP LOCKED} (oldest
 * due first, at most {@code max-concurrent} in flight and {@code max-concurrent-per-endpoint} per endpoint) and
 * leases them: {@code lease_owner} and {@code next_attempt_at} = now + {@code lease-duration}. Replicas never
 * attempt the same delivery at once while the lease holds.</li>
 * <li><b>Attempt.</b> Outside any transaction: sign (Standard Webhooks; both secrets during a rotation's overlap)
 * and POST through {@link WebhookHttp} (SSRF-guarded, time-outs, capped answer).</li>
 * <li><b>Record.</b> The attempt row and the delivery's new state commit together: SUCCEEDED on 2xx, else the next
 * attempt per {@link RetrySchedule}, FAILED after the last, and the endpoint disabled on 410 or after
 * {@code disable-after} of nothing but failures (with a {@code webhook.endpoint.disabled} event to the tenant's
 * other endpoints). A replica that dies between attempt and record leaves the lease to expire: the delivery is
 * attempted again, so a receiver may see a webhook twice (same {@code webhook-id}) but never zero times.</li>
 * <li><b>Latency.</b> A background thread polls every {@code poll-interval}; a commit that queues deliveries in
 * this replica wakes it at once ({@link WebhooksQueued}), and so does a finished attempt.</li>
 * </ul>
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** Profiles in which loopback endpoints may be allowed. */
    static final Set<String> LOOPBACK_PROFILES = Set.of("test", "dev", "demo");

    @Inject
    WebhookConfig config;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    EndpointSecrets secrets;

    @Inject
    WebhookEvents events;

    @Inject
    MeterRegistry registry;

    private String instanceId;
    private WebhookHttp http;
    private RetrySchedule schedule;
    private ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<UUID, AtomicInteger> perEndpoint = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile Thread loop;

    /** A leased delivery with everything its attempt needs. */
    record Claimed(UUID deliveryId, UUID mspId, UUID endpointId, UUID clientId, UUID messageId, String eventType,
            String payload, String url, boolean enabled, int scheduleStep, String requeuedBy,
            SecretCipher.Sealed secret, SecretCipher.Sealed previous, Instant previousExpiresAt) {
    }

    void onStart(@Observes StartupEvent event) {
        refusal(ConfigUtils.getProfiles(), config.allowLoopback()).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
        WebhookConfig.Delivery delivery = config.delivery();
        if (delivery.leaseDuration().compareTo(delivery.timeout().plus(delivery.connectTimeout())
                .plusSeconds(5)) < 0) {
            throw new IllegalStateException("usersync.webhooks.delivery.lease-duration (" + delivery.leaseDuration()
                    + ") must exceed the attempt time-out plus the connect time-out by 5 s at least");
        }
        if (delivery.maxConcurrent() < 1 || delivery.maxConcurrentPerEndpoint() < 1 || delivery.maxResponseBytes() < 0
                || delivery.retryJitterPercent() < 0 || delivery.retryJitterPercent() > 50) {
            throw new IllegalStateException("usersync.webhooks.delivery: max-concurrent and"
                    + " max-concurrent-per-endpoint must be at least 1, retry-jitter-percent from 0 to 50");
        }
        schedule = new RetrySchedule(delivery.retrySchedule(), delivery.retryJitterPercent() / 100.0);
        instanceId = delivery.instanceId().orElseGet(WebhookDispatcher::defaultInstanceId);
        http = new WebhookHttp(new WebhookHttp.Settings(config.allowLoopback(), delivery.connectTimeout(),
                delivery.timeout(), delivery.maxResponseBytes(), delivery.maxConcurrent()), Resolver.SYSTEM);
        workers = Executors.newFixedThreadPool(delivery.maxConcurrent(),
                Thread.ofPlatform().name("usersync-webhook-", 0).daemon().factory());
        if (config.allowLoopback()) {
            LOG.warn("usersync.webhooks.allow-loopback is on: webhook endpoints may be on this host (test/demo only)");
        }
        if (delivery.enabled()) {
            startBackground();
        }
    }

    /**
     * Why the service must not start with this setting, or empty. Loopback endpoints would let tenants reach
     * services on the replica's own host, so they are for the test, dev and demo profiles only.
     */
    static Optional<String> refusal(Collection<String> profiles, boolean allowLoopback) {
        if (!allowLoopback || profiles.stream().anyMatch(LOOPBACK_PROFILES::contains)) {
            return Optional.empty();
        }
        return Optional.of("usersync.webhooks.allow-loopback=true lets tenants send webhooks to this host; it is"
                + " refused in profile " + profiles + " (only test, dev and demo may use it)");
    }

    /** Starts this replica's background delivery thread (at startup unless disabled by configuration). */
    public synchronized void startBackground() {
        if (loop == null) {
            stopping = false;
            loop = Thread.ofPlatform().name("usersync-webhook-dispatcher").daemon().start(this::run);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread thread = loop;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        if (workers == null) {
            return;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(config.delivery().shutdownDrain().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%d webhook attempts still in flight at shutdown; they are retried when their lease"
                        + " expires", inFlight.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }

    /** Deliveries were committed in this replica: deliver now rather than at the next poll. */
    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhooksQueued queued) {
        Thread thread = loop;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long failures = 0;
        while (!stopping) {
            int started = 0;
            try {
                started = dispatch();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                LOG.warnf("webhook dispatcher could not claim deliveries (attempt %d), retrying: %s", failures,
                        e.toString());
            }
            boolean full = inFlight.get() >= config.delivery().maxConcurrent();
            if ((started == 0 || full) && !stopping) {
                long pause = config.delivery().pollInterval().toNanos();
                LockSupport.parkNanos(failures == 0 ? pause : Math.min(pause << Math.min(failures, 5),
                        Duration.ofSeconds(30).toNanos()));
            }
        }
    }

    /** Claims as many due deliveries as there are free slots and starts their attempts; returns how many. */
    private int dispatch() {
        int free = config.delivery().maxConcurrent() - inFlight.get();
        if (free <= 0) {
            return 0;
        }
        List<Claimed> claimed = claim(free);
        for (Claimed delivery : claimed) {
            inFlight.incrementAndGet();
            perEndpoint.computeIfAbsent(delivery.endpointId(), k -> new AtomicInteger()).incrementAndGet();
            workers.execute(() -> {
                try {
                    attempt(delivery);
                } finally {
                    release(delivery);
                    Thread thread = loop;
                    if (thread != null) {
                        LockSupport.unpark(thread);
                    }
                }
            });
        }
        return claimed.size();
    }

    /**
     * Attempts every delivery due now, in this thread's turn, until none is left; for tests and tools. Deliveries
     * whose retry is scheduled later are not waited for.
     *
     * @return attempts made
     */
    public int deliverDue() {
        int total = 0;
        while (true) {
            List<Claimed> claimed = claim(config.delivery().maxConcurrent());
            if (claimed.isEmpty()) {
                return total;
            }
            List<Future<?>> running = new ArrayList<>();
            for (Claimed delivery : claimed) {
                perEndpoint.computeIfAbsent(delivery.endpointId(), k -> new AtomicInteger()).incrementAndGet();
                running.add(workers.submit(() -> {
                    try {
                        attempt(delivery);
                    } finally {
                        release(delivery);
                    }
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return total;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            total += claimed.size();
        }
    }

    private void release(Claimed delivery) {
        inFlight.updateAndGet(n -> Math.max(0, n - 1));
        perEndpoint.computeIfPresent(delivery.endpointId(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    // ---------------------------------------------------------------- claim

    List<Claimed> claim(int free) {
        int perEndpointCap = config.delivery().maxConcurrentPerEndpoint();
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                Instant now = clock.now();
                List<Object[]> due = Db.query(c, "SELECT id, endpoint_id FROM webhook_delivery WHERE status ="
                        + " 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT " + free * 4
                        + " FOR UPDATE SKIP LOCKED", rs -> new Object[] { Db.uuid(rs, "id"),
                                Db.uuid(rs, "endpoint_id") }, now);
                List<UUID> picked = new ArrayList<>();
                Map<UUID, Integer> taken = new HashMap<>();
                for (Object[] row : due) {
                    UUID endpoint = (UUID) row[1];
                    AtomicInteger busy = perEndpoint.get(endpoint);
                    int already = (busy == null ? 0 : busy.get()) + taken.getOrDefault(endpoint, 0);
                    if (already >= perEndpointCap) {
                        continue; // stays due; another slot of this endpoint frees up first
                    }
                    taken.merge(endpoint, 1, Integer::sum);
                    picked.add((UUID) row[0]);
                    if (picked.size() >= free) {
                        break;
                    }
                }
                if (picked.isEmpty()) {
                    return List.<Claimed>of();
                }
                List<Object> params = new ArrayList<>(List.of(instanceId, now.plus(config.delivery().leaseDuration())));
                params.addAll(picked);
                Db.update(c, "UPDATE webhook_delivery SET lease_owner = ?, next_attempt_at = ? WHERE id IN ("
                        + Db.placeholders(picked.size()) + ")", params.toArray());
                return Db.query(c, """
                        SELECT d.id, d.msp_id, d.endpoint_id, d.message_id, d.schedule_step, d.requeued_by,
                               m.event_type, m.payload, e.client_id, e.url, e.enabled, e.secret_key_id,
                               e.secret_nonce, e.secret_ciphertext, e.previous_key_id, e.previous_nonce,
                               e.previous_ciphertext, e.previous_expires_at
                          FROM webhook_delivery d
                          JOIN webhook_message m ON m.msp_id = d.msp_id AND m.id = d.message_id
                          JOIN webhook_endpoint e ON e.msp_id = d.msp_id AND e.id = d.endpoint_id
                         WHERE d.id IN (""" + Db.placeholders(picked.size()) + ")", rs -> new Claimed(
                        Db.uuid(rs, "id"), Db.uuid(rs, "msp_id"), Db.uuid(rs, "endpoint_id"), Db.uuid(rs, "client_id"),
                        Db.uuid(rs, "message_id"), rs.getString("event_type"), rs.getString("payload"),
                        rs.getString("url"), rs.getBoolean("enabled"), rs.getInt("schedule_step"),
                        rs.getString("requeued_by"), new SecretCipher.Sealed(rs.getString("secret_key_id"),
                                rs.getBytes("secret_nonce"), rs.getBytes("secret_ciphertext")),
                        rs.getString("previous_key_id") == null ? null : new SecretCipher.Sealed(
                                rs.getString("previous_key_id"), rs.getBytes("previous_nonce"),
                                rs.getBytes("previous_ciphertext")), Db.instant(rs, "previous_expires_at")),
                        picked.toArray());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---------------------------------------------------------------- attempt

    private void attempt(Claimed d) {
        Instant at = clock.now();
        WebhookHttp.Result result;
        if (!d.enabled()) {
            result = new WebhookHttp.Result(null, 0, "endpoint disabled", null, null, false);
        } else {
            List<byte[]> keys = new ArrayList<>();
            try {
                keys.add(secrets.open(d.secret(), d.mspId(), d.clientId(), d.endpointId()));
                if (d.previous() != null && d.previousExpiresAt() != null && d.previousExpiresAt().isAfter(at)) {
                    keys.add(secrets.open(d.previous(), d.mspId(), d.clientId(), d.endpointId()));
                }
            } catch (IllegalStateException e) {
                LOG.errorf("webhook endpoint %s: %s", d.endpointId(), e.getMessage());
                result = new WebhookHttp.Result(null, 0, "the signing secret cannot be decrypted (is the encryption"
                        + " key still configured?); nothing was sent", null, null, false);
                record(d, result, at);
                return;
            }
            String webhookId = d.messageId().toString();
            long timestamp = at.getEpochSecond();
            byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", webhookId);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", Signature.header(webhookId, timestamp, body, keys));
            result = http.post(d.url(), headers, body);
        }
        Counter.builder("usersync.webhook.attempts")
                .description("Webhook delivery attempts by outcome (succeeded: a 2xx answer)")
                .tag("outcome", result.succeeded() ? "succeeded" : "failed").register(registry).increment();
        Timer.builder("usersync.webhook.attempt.latency")
                .description("Time from sending a webhook request to its answer (or failure)")
                .register(registry).record(Duration.ofMillis(result.latencyMs()));
        record(d, result, at);
    }

    /** Commits the attempt and the delivery's (and endpoint's) new state together. */
    private void record(Claimed d, WebhookHttp.Result r, Instant at) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    recordIn(c, d, r, at);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("could not record the webhook attempt of delivery %s (%s); it is attempted again when its lease"
                    + " expires", d.deliveryId(), e.toString());
        }
    }

    private void recordIn(Connection c, Claimed d, WebhookHttp.Result r, Instant at) {
        Instant now = clock.now();
        String error = r.error() == null && !r.succeeded() ? "answered " + r.statusCode() : r.error();
        Db.update(c, "INSERT INTO webhook_attempt (id, msp_id, endpoint_id, delivery_id, attempted_at, status_code,"
                + " latency_ms, succeeded, error, response_body, manual, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?)", Ids.newId(), d.mspId(), d.endpointId(), d.deliveryId(), at, r.statusCode(),
                (int) Math.min(Integer.MAX_VALUE, r.latencyMs()), r.succeeded(), error, r.responseBody(),
                d.requeuedBy() != null, instanceId);
        Db.update(c, "UPDATE webhook_delivery SET attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?,"
                + " last_latency_ms = ?, last_error = ?, requeued_by = NULL WHERE msp_id = ? AND id = ?", at,
                r.statusCode(), (int) Math.min(Integer.MAX_VALUE, r.latencyMs()), error, d.mspId(), d.deliveryId());
        if (r.succeeded()) {
            Db.update(c, "UPDATE webhook_delivery SET status = 'SUCCEEDED', delivered_at = ?, next_attempt_at = NULL,"
                    + " lease_owner = NULL WHERE msp_id = ? AND id = ? AND status <> 'SUCCEEDED'", now, d.mspId(),
                    d.deliveryId());
            Db.update(c, "UPDATE webhook_endpoint SET failing_since = NULL WHERE msp_id = ? AND id = ?"
                    + " AND failing_since IS NOT NULL", d.mspId(), d.endpointId());
            return;
        }
        if (!d.enabled()) {
            Db.update(c, "UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL, lease_owner = NULL"
                    + " WHERE msp_id = ? AND id = ? AND status = 'PENDING' AND lease_owner = ?", d.mspId(),
                    d.deliveryId(), instanceId);
            return;
        }
        RetrySchedule.Decision decision = schedule.afterFailure(d.scheduleStep() + 1, r.statusCode(), r.retryAfter(),
                ThreadLocalRandom.current().nextDouble());
        if (decision.action() == RetrySchedule.Action.RETRY) {
            Db.update(c, "UPDATE webhook_delivery SET schedule_step = schedule_step + 1, next_attempt_at = ?,"
                    + " lease_owner = NULL WHERE msp_id = ? AND id = ? AND status = 'PENDING' AND lease_owner = ?",
                    now.plus(decision.delay()), d.mspId(), d.deliveryId(), instanceId);
        } else {
            Db.update(c, "UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL, lease_owner = NULL"
                    + " WHERE msp_id = ? AND id = ? AND status = 'PENDING' AND lease_owner = ?", d.mspId(),
                    d.deliveryId(), instanceId);
        }
        Db.update(c, "UPDATE webhook_endpoint SET failing_since = ? WHERE msp_id = ? AND id = ?"
                + " AND failing_since IS NULL", at, d.mspId(), d.endpointId());
        String reason = null;
        if (decision.action() == RetrySchedule.Action.DISABLE_ENDPOINT) {
            reason = "the endpoint answered 410 Gone";
        } else {
            Instant failingSince = Db.query(c, "SELECT failing_since FROM webhook_endpoint WHERE msp_id = ? AND id = ?",
                    rs -> Db.instant(rs, "failing_since"), d.mspId(), d.endpointId()).stream().findFirst().orElse(null);
            if (failingSince != null && !failingSince.plus(config.delivery().disableAfter()).isAfter(now)) {
                reason = "every attempt since " + failingSince + " failed (last: " + error + ")";
            }
        }
        if (reason != null && WebhookService.disable(c, d.mspId(), d.endpointId(), reason, now)) {
            Counter.builder("usersync.webhook.endpoints.disabled")
                    .description("Webhook endpoints disabled for failing (410 Gone or days of failures)")
                    .register(registry).increment();
            LOG.warnf("webhook endpoint %s of MSP %s disabled: %s", d.endpointId(), d.mspId(), reason);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("mspId", d.mspId().toString());
            data.put("clientId", d.clientId() == null ? null : d.clientId().toString());
            data.put("endpointId", d.endpointId().toString());
            data.put("url", d.url());
            data.put("reason", reason);
            data.put("disabledAt", now.toString());
            events.publish(new WebhookEvent(Ids.newId(), d.mspId(), d.clientId(),
                    WebhookEventType.WEBHOOK_ENDPOINT_DISABLED, now, data));
        }
    }

    // ---------------------------------------------------------------- housekeeping

    /**
     * Deletes finished deliveries, their attempts and messages older than the retention, and secrets whose overlap
     * has ended; in bounded batches.
     */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void housekeeping() {
        Instant now = clock.now();
        Instant cutoff = now.minus(config.delivery().retention());
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    Db.update(c, "UPDATE webhook_endpoint SET previous_key_id = NULL, previous_nonce = NULL,"
                            + " previous_ciphertext = NULL, previous_expires_at = NULL WHERE previous_expires_at < ?",
                            now);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (String sql : List.of(
                    "DELETE FROM webhook_attempt WHERE attempted_at < ? LIMIT 5000",
                    "DELETE FROM webhook_delivery WHERE status <> 'PENDING' AND created_at < ? LIMIT 5000",
                    "DELETE FROM webhook_message WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM webhook_delivery d"
                            + " WHERE d.msp_id = webhook_message.msp_id AND d.message_id = webhook_message.id)"
                            + " LIMIT 5000")) {
                int deleted;
                do {
                    deleted = QuarkusTransaction.requiringNew().call(() -> {
                        try (Connection c = dataSource.getConnection()) {
                            return Db.update(c, sql, cutoff);
                        }
                    });
                } while (deleted == 5000 && !stopping);
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook housekeeping failed, retried in an hour: %s", e.toString());
        }
    }

    public String instanceId() {
        return instanceId;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "usersync";
        }
        String id = host + "-" + Ids.newId().toString().substring(24);
        return id.length() > 100 ? id.substring(id.length() - 100) : id;
    }
}
