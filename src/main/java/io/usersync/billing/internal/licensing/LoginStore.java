package io.usersync.billing.internal.licensing;

import io.usersync.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code billing_licence_login} table, in plain JDBC: ingest batches and the aggregates usage is computed
 * from. Queries never read a raw login list: they group by user and UTC month (the stored {@code DATETIME} is
 * UTC wall time, so {@code YEAR()/MONTH()} are UTC months) or seek one first login through an index.
 *
 * <p>Instants are bound as exact text ({@link Jdbc#timestamp}): a dropped microsecond would move a login at
 * 23:59:59.999999 into the next month and break exact de-duplication.
 */
@ApplicationScoped
public class LoginStore {

    private static final String INSERT = """
            INSERT INTO billing_licence_login (msp_id, client_id, event_id, user_id, occurred_at, batch_id,
                                               ingested_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE msp_id = msp_id""";

    private static final String MONTHLY_FIRST = """
            SELECT user_id, YEAR(occurred_at) AS y, MONTH(occurred_at) AS m, MIN(occurred_at) AS first_at
            FROM billing_licence_login
            WHERE msp_id = ? AND client_id = ? AND occurred_at >= ? AND occurred_at < ?
            GROUP BY user_id, YEAR(occurred_at), MONTH(occurred_at)""";

    private static final String FIRST_LOGIN = """
            SELECT MIN(occurred_at) AS first_at FROM billing_licence_login
            WHERE msp_id = ? AND client_id = ? AND user_id = ? AND occurred_at >= ? AND occurred_at < ?""";

    @Inject
    DataSource dataSource;

    /** A login to store. */
    public record Login(String eventId, UUID userId, Instant occurredAt) {
    }

    /** A stored login as found by event id, with the ingest batch that inserted it. */
    public record Stored(String eventId, UUID userId, Instant occurredAt, UUID batchId) {
    }

    /**
     * Inserts the logins that are not stored yet, tagged with {@code batchId}; existing event ids are left as
     * they are. Safe under concurrent ingests of the same events (the primary key decides); pass the logins in
     * event-id order so that concurrent batches lock rows in the same order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insertNew(UUID mspId, UUID clientId, UUID batchId, Instant ingestedAt, Collection<Login> logins) {
        if (logins.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Login login : logins) {
                insert.setBytes(1, Jdbc.bytes(mspId));
                insert.setBytes(2, Jdbc.bytes(clientId));
                insert.setString(3, login.eventId());
                insert.setBytes(4, Jdbc.bytes(login.userId()));
                insert.setString(5, Jdbc.timestamp(login.occurredAt()));
                insert.setBytes(6, Jdbc.bytes(batchId));
                insert.setString(7, Jdbc.timestamp(ingestedAt));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store login events", e);
        }
    }

    /**
     * The stored logins with the given event ids, as committed now: a locking read, because the transaction's
     * snapshot may predate rows a concurrent ingest committed while {@link #insertNew} waited for them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Stored> findByEventIds(UUID mspId, UUID clientId, Collection<String> eventIds) {
        Map<String, Stored> found = new HashMap<>();
        if (eventIds.isEmpty()) {
            return found;
        }
        String sql = "SELECT event_id, user_id, occurred_at, batch_id FROM billing_licence_login"
                + " WHERE msp_id = ? AND client_id = ? AND event_id IN ("
                + String.join(",", Collections.nCopies(eventIds.size(), "?")) + ") FOR UPDATE";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setBytes(1, Jdbc.bytes(mspId));
            select.setBytes(2, Jdbc.bytes(clientId));
            int index = 3;
            for (String eventId : eventIds) {
                select.setString(index++, eventId);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Stored stored = new Stored(rs.getString("event_id"), Jdbc.uuid(rs, "user_id"),
                            Jdbc.instant(rs, "occurred_at"), Jdbc.uuid(rs, "batch_id"));
                    found.put(stored.eventId(), stored);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read login events", e);
        }
        return found;
    }

    /** Per user with logins in {@code [from, before)}: UTC month → first login of that month in the window. */
    public Map<UUID, NavigableMap<YearMonth, Instant>> firstLoginPerMonth(UUID mspId, UUID clientId, Instant from,
            Instant before) {
        Map<UUID, NavigableMap<YearMonth, Instant>> result = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(MONTHLY_FIRST)) {
            select.setBytes(1, Jdbc.bytes(mspId));
            select.setBytes(2, Jdbc.bytes(clientId));
            select.setString(3, Jdbc.timestamp(from));
            select.setString(4, Jdbc.timestamp(before));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    result.computeIfAbsent(Jdbc.uuid(rs, "user_id"), u -> new TreeMap<>())
                            .put(YearMonth.of(rs.getInt("y"), rs.getInt("m")), Jdbc.instant(rs, "first_at"));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not aggregate login events", e);
        }
        return result;
    }

    /** A user's first login in {@code [from, before)}, or null (one index seek). */
    public Instant firstLogin(UUID mspId, UUID clientId, UUID userId, Instant from, Instant before) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(FIRST_LOGIN)) {
            select.setBytes(1, Jdbc.bytes(mspId));
            select.setBytes(2, Jdbc.bytes(clientId));
            select.setBytes(3, Jdbc.bytes(userId));
            select.setString(4, Jdbc.timestamp(from));
            select.setString(5, Jdbc.timestamp(before));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Jdbc.instant(rs, "first_at") : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read login events", e);
        }
    }
}
