package io.usersync.directory;

import io.usersync.common.Ids;
import io.usersync.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Bulk access to users for the sync engine, in plain JDBC because a run touches up to hundreds of thousands of
 * users. Every change of the active flag goes through {@link StatusLog} in the same transaction, exactly like
 * manual changes; callers must hold the client account's lock ({@code TenantService.lockClient}).
 */
@ApplicationScoped
public class SyncedUserStore {

    private static final String COLUMNS = "id, source, external_key, email_key, email, first_name, last_name, "
            + "active, admin";
    private static final int IN_CHUNK = 500;

    @Inject
    DataSource dataSource;

    @Inject
    StatusLog statusLog;

    /**
     * A user as the sync engine needs it. {@code identityHash} digests email and names, so a change of either
     * is seen without keeping the strings.
     */
    public record Existing(UUID id, UserSource source, String externalKey, String emailKey, boolean active,
            boolean admin, long identityHash) {
    }

    /** A new synced user (always created active). */
    public record NewSynced(UUID id, UserSource source, String externalId, EmailAddress email, String firstName,
            String lastName) {
    }

    /** New email and names of a user. */
    public record Identity(UUID userId, EmailAddress email, String firstName, String lastName) {
    }

    /** Digest of the fields sync keeps equal to the source. */
    public static long identityHash(String email, String firstName, String lastName) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest((email + "\u0000" + firstName + "\u0000" + lastName)
                    .getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Live users of the client with the given source and external keys. */
    public Map<String, Existing> findByExternalKeys(UUID mspId, UUID clientId, UserSource source,
            Collection<String> externalKeys) {
        Map<String, Existing> found = new HashMap<>();
        inChunks(externalKeys, chunk -> query("SELECT " + COLUMNS + " FROM app_user WHERE msp_id = ? AND client_id = ?"
                + " AND source = ? AND external_key IN (" + marks(chunk.size()) + ")", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(clientId));
                    statement.setString(3, source.name());
                    int i = 4;
                    for (String key : chunk) {
                        statement.setString(i++, key);
                    }
                }, e -> found.put(e.externalKey(), e)));
        return found;
    }

    /** Live users of the client (any source) holding the given email keys. */
    public Map<String, Existing> findByEmailKeys(UUID mspId, UUID clientId, Collection<String> emailKeys) {
        Map<String, Existing> found = new HashMap<>();
        inChunks(emailKeys, chunk -> query("SELECT " + COLUMNS + " FROM app_user WHERE msp_id = ? AND client_id = ?"
                + " AND email_key IN (" + marks(chunk.size()) + ")", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(clientId));
                    int i = 3;
                    for (String key : chunk) {
                        statement.setString(i++, key);
                    }
                }, e -> found.put(e.emailKey(), e)));
        return found;
    }

    /** Streams every live user of the client with the given source. */
    public void forEachOfSource(UUID mspId, UUID clientId, UserSource source, Consumer<Existing> consumer) {
        query("SELECT " + COLUMNS + " FROM app_user WHERE msp_id = ? AND client_id = ? AND source = ?"
                + " AND deleted_at IS NULL", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(clientId));
                    statement.setString(3, source.name());
                }, consumer);
    }

    /** Like {@link #forEachOfSource}, only the inactive ones (read through the client's active index). */
    public void forEachInactiveOfSource(UUID mspId, UUID clientId, UserSource source, Consumer<Existing> consumer) {
        query("SELECT " + COLUMNS + " FROM app_user WHERE msp_id = ? AND client_id = ? AND active = FALSE"
                + " AND source = ? AND deleted_at IS NULL", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(clientId));
                    statement.setString(3, source.name());
                }, consumer);
    }

    /** Live users by id, locked for update until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<UUID, Existing> lock(UUID mspId, UUID clientId, Collection<UUID> ids) {
        Map<UUID, Existing> found = new HashMap<>();
        List<byte[]> keys = ids.stream().map(Jdbc::bytes).toList();
        inChunks(keys, chunk -> query("SELECT " + COLUMNS + " FROM app_user WHERE msp_id = ? AND client_id = ?"
                + " AND deleted_at IS NULL AND id IN (" + marks(chunk.size()) + ") FOR UPDATE", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(clientId));
                    int i = 3;
                    for (byte[] id : chunk) {
                        statement.setBytes(i++, id);
                    }
                }, e -> found.put(e.id(), e)));
        return found;
    }

    public long countActive(UUID mspId, UUID clientId) {
        return count("SELECT COUNT(*) FROM app_user WHERE msp_id = ? AND client_id = ? AND active = TRUE"
                + " AND deleted_at IS NULL", mspId, clientId, null);
    }

    public long countActiveAdmins(UUID mspId, UUID clientId) {
        return count("SELECT COUNT(*) FROM app_user WHERE msp_id = ? AND client_id = ? AND active = TRUE"
                + " AND admin = TRUE AND deleted_at IS NULL", mspId, clientId, null);
    }

    public long countActiveOfSource(UUID mspId, UUID clientId, UserSource source) {
        return count("SELECT COUNT(*) FROM app_user WHERE msp_id = ? AND client_id = ? AND active = TRUE"
                + " AND deleted_at IS NULL AND source = ?", mspId, clientId, source);
    }

    /** Inserts new synced users, active, each with its creation event. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insertActive(UUID mspId, UUID clientId, List<NewSynced> users, String actor, UUID runId,
            Instant now) {
        if (users.isEmpty()) {
            return;
        }
        List<StatusChange> events = new ArrayList<>(users.size());
        update("INSERT INTO app_user (id, msp_id, client_id, first_name, last_name, email, email_key, active, admin,"
                + " source, external_id, external_key, created_at, updated_at, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, TRUE, FALSE, ?, ?, ?, ?, ?, 0)", users, (statement, u) -> {
                    statement.setBytes(1, Jdbc.bytes(u.id()));
                    statement.setBytes(2, Jdbc.bytes(mspId));
                    statement.setBytes(3, Jdbc.bytes(clientId));
                    statement.setString(4, u.firstName());
                    statement.setString(5, u.lastName());
                    statement.setString(6, u.email().value());
                    statement.setString(7, u.email().key());
                    statement.setString(8, u.source().name());
                    statement.setString(9, u.externalId());
                    statement.setString(10, u.externalId());
                    statement.setObject(11, Jdbc.timestamp(now));
                    statement.setObject(12, Jdbc.timestamp(now));
                    events.add(new StatusChange(Ids.newId(), mspId, clientId, u.id(), null, true, ChangeCause.SYNC,
                            actor, runId, now));
                });
        statusLog.recordAll(events);
    }

    /** Turns manual users into synced users of {@code source} (their state is unchanged). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void adopt(UUID mspId, UserSource source, Map<UUID, String> externalIdByUser, Instant now) {
        update("UPDATE app_user SET source = ?, external_id = ?, external_key = ?, updated_at = ?, version = version + 1"
                + " WHERE id = ? AND msp_id = ?", List.copyOf(externalIdByUser.entrySet()), (statement, e) -> {
                    statement.setString(1, source.name());
                    statement.setString(2, e.getValue());
                    statement.setString(3, e.getValue());
                    statement.setObject(4, Jdbc.timestamp(now));
                    statement.setBytes(5, Jdbc.bytes(e.getKey()));
                    statement.setBytes(6, Jdbc.bytes(mspId));
                });
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void updateIdentities(UUID mspId, List<Identity> identities, Instant now) {
        update("UPDATE app_user SET email = ?, email_key = ?, first_name = ?, last_name = ?, updated_at = ?,"
                + " version = version + 1 WHERE id = ? AND msp_id = ?", identities, (statement, u) -> {
                    statement.setString(1, u.email().value());
                    statement.setString(2, u.email().key());
                    statement.setString(3, u.firstName());
                    statement.setString(4, u.lastName());
                    statement.setObject(5, Jdbc.timestamp(now));
                    statement.setBytes(6, Jdbc.bytes(u.userId()));
                    statement.setBytes(7, Jdbc.bytes(mspId));
                });
    }

    /**
     * Sets the active flag of users whose flag is currently the opposite (the caller checked under lock), with
     * one history/outbox event each. Deactivation also removes the administrator role.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setActive(UUID mspId, UUID clientId, List<UUID> userIds, boolean active, String actor, UUID runId,
            Instant now) {
        if (userIds.isEmpty()) {
            return;
        }
        String sql = active
                ? "UPDATE app_user SET active = TRUE, updated_at = ?, version = version + 1 WHERE id = ? AND msp_id = ?"
                : "UPDATE app_user SET active = FALSE, admin = FALSE, updated_at = ?, version = version + 1"
                        + " WHERE id = ? AND msp_id = ?";
        List<StatusChange> events = new ArrayList<>(userIds.size());
        update(sql, userIds, (statement, id) -> {
            statement.setObject(1, Jdbc.timestamp(now));
            statement.setBytes(2, Jdbc.bytes(id));
            statement.setBytes(3, Jdbc.bytes(mspId));
            events.add(new StatusChange(Ids.newId(), mspId, clientId, id, !active, active, ChangeCause.SYNC, actor,
                    runId, now));
        });
        statusLog.recordAll(events);
    }

    // ---------------------------------------------------------------- JDBC plumbing

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement statement, T item) throws SQLException;
    }

    @FunctionalInterface
    private interface Parameters {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private <T> void update(String sql, List<T> items, Binder<T> binder) {
        if (items.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T item : items) {
                binder.bind(statement, item);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("bulk user update failed: " + e.getMessage(), e);
        }
    }

    private void query(String sql, Parameters parameters, Consumer<Existing> consumer) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(new Existing(Jdbc.uuid(rs, "id"), UserSource.valueOf(rs.getString("source")),
                            rs.getString("external_key"), rs.getString("email_key"), rs.getBoolean("active"),
                            rs.getBoolean("admin"), identityHash(rs.getString("email"), rs.getString("first_name"),
                                    rs.getString("last_name"))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user query failed: " + e.getMessage(), e);
        }
    }

    private long count(String sql, UUID mspId, UUID clientId, UserSource source) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setBytes(1, Jdbc.bytes(mspId));
            statement.setBytes(2, Jdbc.bytes(clientId));
            if (source != null) {
                statement.setString(3, source.name());
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user count failed: " + e.getMessage(), e);
        }
    }

    private static <T> void inChunks(Collection<T> items, Consumer<List<T>> action) {
        List<T> all = List.copyOf(items);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            action.accept(all.subList(from, Math.min(all.size(), from + IN_CHUNK)));
        }
    }

    private static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }
}
