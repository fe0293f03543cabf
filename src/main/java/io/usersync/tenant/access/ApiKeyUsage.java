package io.usersync.tenant.access;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Last-used times of API keys, kept in memory per replica and written in one batch every
 * {@link AccessConfig#lastUsedFlushInterval()} (and on shutdown), so authenticating with a key costs a read but
 * never a write. A write only moves a time forward, so replicas flushing in any order agree.
 */
@ApplicationScoped
public class ApiKeyUsage {

    private static final Logger LOG = Logger.getLogger(ApiKeyUsage.class);

    @Inject
    EntityManager em;

    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();

    void used(UUID keyId, Instant at) {
        pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** This replica's last use of the key not yet written, if any. */
    Instant pending(UUID keyId) {
        return pending.get(keyId);
    }

    @Scheduled(every = "${usersync.api-keys.last-used-flush-interval:60s}", concurrentExecution =
            Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, Instant> batch = new HashMap<>(pending);
        try {
            QuarkusTransaction.requiringNew().run(() -> batch.forEach((id, at) -> em.createNativeQuery(
                    "UPDATE api_key SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)")
                    .setParameter(1, io.usersync.common.Jdbc.timestamp(at)).setParameter(2, id).executeUpdate()));
            batch.forEach(pending::remove); // removes only entries no newer use replaced meanwhile
        } catch (RuntimeException e) {
            LOG.warnf("could not record the last use of %d API keys (kept for the next attempt): %s", batch.size(),
                    e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        flush();
    }
}
