package io.usersync.common.idempotency;

import io.quarkus.scheduler.Scheduled;
import io.usersync.common.Jdbc;
import io.usersync.common.SettingsCheck;
import io.usersync.common.time.AppClock;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The idempotency records: one per caller and key, claimed before the request runs (so of two concurrent
 * duplicates exactly one runs) and completed with the answer afterwards. Each statement commits on its own,
 * outside the request's business transactions, so a record never rolls back with them.
 */
@ApplicationScoped
public class IdempotencyStore implements SettingsCheck {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);
    static final Duration MINIMUM_RETENTION = Duration.ofHours(24);
    static final int PURGE_BATCH = 1000;

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    @Inject
    IdempotencyConfig config;

    /** What to do with a request: run it, or answer without running it. */
    public sealed interface Claim permits Run, Replay, Mismatch, InProgress, Abandoned {
    }

    /** Nobody used the key yet: run the request, then {@link #complete} or {@link #release}. */
    public record Run() implements Claim {
    }

    /** The first request with this key finished: its answer. */
    public record Replay(int status, String contentType, String location, byte[] body) implements Claim {
    }

    /** The key was used for a different request. */
    public record Mismatch() implements Claim {
    }

    /** The first request with this key is still running. */
    public record InProgress() implements Claim {
    }

    /** The first request with this key never finished (its replica stopped); its outcome is unknown. */
    public record Abandoned(Instant startedAt) implements Claim {
    }

    /** Claims the key for this request, or says how to answer instead. */
    public Claim claim(byte[] caller, byte[] key, byte[] request) {
        Instant now = clock.now();
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(true);
            for (int attempt = 0; attempt < 3; attempt++) {
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO idempotency_record (caller_hash, "
                        + "key_hash, request_hash, state, created_at, expires_at) VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?)")) {
                    insert.setBytes(1, caller);
                    insert.setBytes(2, key);
                    insert.setBytes(3, request);
                    insert.setString(4, Jdbc.timestamp(now));
                    insert.setString(5, Jdbc.timestamp(now.plus(config.retention())));
                    insert.executeUpdate();
                    return new Run();
                } catch (SQLIntegrityConstraintViolationException duplicate) {
                    Claim existing = existing(db, caller, key, request, now);
                    if (existing != null) {
                        return existing;
                    }
                    // it expired (and was deleted) or completed-and-released in between: try again
                }
            }
            return new InProgress();
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency record unavailable: " + e.getMessage(), e);
        }
    }

    private Claim existing(Connection db, byte[] caller, byte[] key, byte[] request, Instant now)
            throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT request_hash, state, status, content_type, "
                + "location, body, created_at, expires_at FROM idempotency_record WHERE caller_hash = ? AND key_hash = ?")) {
            select.setBytes(1, caller);
            select.setBytes(2, key);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                if (!Jdbc.instant(rs, "expires_at").isAfter(now)) {
                    delete(db, caller, key, "expires_at <= ?", now);
                    return null;
                }
                if (!Arrays.equals(rs.getBytes("request_hash"), request)) {
                    return new Mismatch();
                }
                if ("DONE".equals(rs.getString("state"))) {
                    return new Replay(rs.getInt("status"), rs.getString("content_type"), rs.getString("location"),
                            rs.getBytes("body"));
                }
                Instant started = Jdbc.instant(rs, "created_at");
                return started.plus(config.inProgressTimeout()).isAfter(now) ? new InProgress()
                        : new Abandoned(started);
            }
        }
    }

    /** Records the answer of a claimed request for replay. */
    public void complete(byte[] caller, byte[] key, int status, String contentType, String location, byte[] body) {
        try (Connection db = dataSource.getConnection(); PreparedStatement update = db.prepareStatement(
                "UPDATE idempotency_record SET state = 'DONE', status = ?, content_type = ?, location = ?, body = ? "
                        + "WHERE caller_hash = ? AND key_hash = ? AND state = 'IN_PROGRESS'")) {
            db.setAutoCommit(true);
            update.setInt(1, status);
            update.setString(2, contentType);
            update.setString(3, location);
            update.setBytes(4, body);
            update.setBytes(5, caller);
            update.setBytes(6, key);
            update.executeUpdate();
        } catch (SQLException e) {
            // the request's own work is done; a retry then answers 409 "unknown outcome" until the record expires
            LOG.warnf("could not record the answer for an Idempotency-Key: %s", e.getMessage());
        }
    }

    /** Gives a claimed key back: the request did nothing (refused before any effect), so a retry may run. */
    public void release(byte[] caller, byte[] key) {
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(true);
            delete(db, caller, key, "state = 'IN_PROGRESS'", null);
        } catch (SQLException e) {
            LOG.warnf("could not release an Idempotency-Key: %s", e.getMessage());
        }
    }

    private static void delete(Connection db, byte[] caller, byte[] key, String condition, Instant at)
            throws SQLException {
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM idempotency_record WHERE caller_hash = ? "
                + "AND key_hash = ? AND " + condition)) {
            delete.setBytes(1, caller);
            delete.setBytes(2, key);
            if (at != null) {
                delete.setString(3, Jdbc.timestamp(at));
            }
            delete.executeUpdate();
        }
    }

    @Scheduled(every = "${usersync.idempotency.purge-interval:1h}", concurrentExecution =
            Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledPurge() {
        int purged = purge();
        if (purged > 0) {
            LOG.debugf("purged %d expired idempotency records", purged);
        }
    }

    /** Deletes expired records in batches; returns how many. */
    public int purge() {
        int total = 0;
        try (Connection db = dataSource.getConnection(); PreparedStatement delete = db.prepareStatement(
                "DELETE FROM idempotency_record WHERE expires_at <= ? LIMIT " + PURGE_BATCH)) {
            db.setAutoCommit(true);
            delete.setString(1, Jdbc.timestamp(clock.now()));
            int deleted;
            do {
                deleted = delete.executeUpdate();
                total += deleted;
            } while (deleted == PURGE_BATCH);
        } catch (SQLException e) {
            LOG.warnf("could not purge expired idempotency records (next attempt at the next interval): %s",
                    e.getMessage());
        }
        return total;
    }

    @Override
    public void check(BiConsumer<String, String> problem) {
        if (config.retention().compareTo(MINIMUM_RETENTION) < 0) {
            problem.accept("usersync.idempotency.retention", "must be at least 24h (is " + config.retention() + ")");
        }
        if (config.inProgressTimeout().isNegative() || config.inProgressTimeout().isZero()) {
            problem.accept("usersync.idempotency.in-progress-timeout", "must be a positive duration");
        }
        if (config.purgeInterval().isNegative() || config.purgeInterval().isZero()) {
            problem.accept("usersync.idempotency.purge-interval", "must be a positive duration");
        }
    }
}
