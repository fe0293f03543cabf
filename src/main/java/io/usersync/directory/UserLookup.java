package io.usersync.directory;

import io.usersync.common.Jdbc;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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

/**
 * Read-only, bulk view of a client account's users and of their billable-state history, for other modules
 * (billing's licence plans) that must not read the directory tables themselves. Scoped by the {@link Caller}
 * like every directory service: a client account outside the caller's tenancy answers 404, and only users of
 * that client account are ever returned — an id of another tenant's user is simply absent from the answer.
 */
@ApplicationScoped
@Transactional
public class UserLookup {

    private static final int IN_CHUNK = 500;
    private static final java.time.format.DateTimeFormatter DATETIME6 = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC);

    @Inject
    TenantService tenants;

    @Inject
    javax.sql.DataSource dataSource;

    /**
     * What another module may know about a user.
     *
     * @param deletedAt when the user was deleted, null while it exists
     */
    public record UserCard(UUID id, String email, String firstName, String lastName, boolean active,
            Instant createdAt, Instant deletedAt) {
    }

    /** One change of a user's billable-active state, from the {@code user_status_event} history. */
    public record ActivityChange(UUID userId, boolean active, Instant occurredAt) {
    }

    /**
     * The users among {@code userIds} that belong to the client account (deleted ones included, with their
     * deletion instant). Ids that are unknown or belong to another client account are not in the map.
     */
    public Map<UUID, UserCard> usersOf(Caller caller, UUID clientId, Collection<UUID> userIds) {
        ClientAccount client = tenants.getClient(caller, clientId);
        Map<UUID, UserCard> found = new HashMap<>();
        for (List<UUID> chunk : chunks(userIds)) {
            String sql = "SELECT id, email, first_name, last_name, active, created_at, deleted_at FROM app_user"
                    + " WHERE msp_id = ? AND client_id = ? AND id IN (" + placeholders(chunk.size()) + ")";
            query(sql, client, chunk, null, rs -> {
                UserCard card = new UserCard(Jdbc.uuid(rs, "id"), rs.getString("email"), rs.getString("first_name"),
                        rs.getString("last_name"), rs.getBoolean("active"), Jdbc.instant(rs, "created_at"),
                        Jdbc.instant(rs, "deleted_at"));
                found.put(card.id(), card);
            });
        }
        return found;
    }

    /**
     * Every user the client account had at some instant of {@code [from, before)}: created before {@code before}
     * and not deleted by {@code from} (deleted ones included, with their deletion instant), for reports that must
     * reconcile with the users list (billing's licence-plan users report).
     */
    public List<UserCard> usersDuring(Caller caller, UUID clientId, Instant from, Instant before) {
        ClientAccount client = tenants.getClient(caller, clientId);
        List<UserCard> users = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT id, email, first_name, last_name,"
                        + " active, created_at, deleted_at FROM app_user WHERE msp_id = ? AND client_id = ?"
                        + " AND created_at < ? AND (deleted_at IS NULL OR deleted_at > ?)")) {
            statement.setBytes(1, Jdbc.bytes(client.mspId));
            statement.setBytes(2, Jdbc.bytes(client.id));
            // as text: Connector/J drops the microseconds of bound date-times on MariaDB 10.x
            statement.setString(3, DATETIME6.format(before));
            statement.setString(4, DATETIME6.format(from));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    users.add(new UserCard(Jdbc.uuid(rs, "id"), rs.getString("email"), rs.getString("first_name"),
                            rs.getString("last_name"), rs.getBoolean("active"), Jdbc.instant(rs, "created_at"),
                            Jdbc.instant(rs, "deleted_at")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read users", e);
        }
        return users;
    }

    /**
     * The billable-state changes of the given users of the client account that happened before {@code before},
     * ordered by instant (then event id). A user is inactive before its first change; deletions appear as a
     * change to inactive.
     */
    public List<ActivityChange> activityHistory(Caller caller, UUID clientId, Collection<UUID> userIds,
            Instant before) {
        ClientAccount client = tenants.getClient(caller, clientId);
        List<ActivityChange> changes = new ArrayList<>();
        for (List<UUID> chunk : chunks(userIds)) {
            String sql = "SELECT user_id, new_active, occurred_at FROM user_status_event"
                    + " WHERE msp_id = ? AND client_id = ? AND user_id IN (" + placeholders(chunk.size()) + ")"
                    + " AND occurred_at < ? ORDER BY occurred_at, id";
            query(sql, client, chunk, before, rs -> changes.add(new ActivityChange(Jdbc.uuid(rs, "user_id"),
                    rs.getBoolean("new_active"), Jdbc.instant(rs, "occurred_at"))));
        }
        // each chunk is ordered and holds whole users; a stable sort keeps every user's own order
        changes.sort(java.util.Comparator.comparing(ActivityChange::occurredAt));
        return changes;
    }

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private void query(String sql, ClientAccount client, List<UUID> ids, Instant before, RowHandler handler) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            statement.setBytes(index++, Jdbc.bytes(client.mspId));
            statement.setBytes(index++, Jdbc.bytes(client.id));
            for (UUID id : ids) {
                statement.setBytes(index++, Jdbc.bytes(id));
            }
            if (before != null) {
                // as text: Connector/J drops the microseconds of bound date-times on MariaDB 10.x
                statement.setString(index, DATETIME6.format(before));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    handler.handle(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read users", e);
        }
    }

    private static List<List<UUID>> chunks(Collection<UUID> ids) {
        List<UUID> distinct = ids.stream().distinct().toList();
        List<List<UUID>> chunks = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i += IN_CHUNK) {
            chunks.add(distinct.subList(i, Math.min(distinct.size(), i + IN_CHUNK)));
        }
        return chunks;
    }

    private static String placeholders(int count) {
        return String.join(",", java.util.Collections.nCopies(count, "?"));
    }
}
