package io.usersync.sync.engine;

import io.usersync.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * JDBC access to a run's plan ({@code sync_run_change}) and to the connection's view of the directory
 * ({@code sync_member}). Plain JDBC with batching because a first sync of a large tenant writes a row per user.
 */
@ApplicationScoped
public class PlanStore {

    private static final String CHANGE_COLUMNS = "seq, kind, user_id, external_id, email, email_key, first_name,"
            + " last_name, detail, in_pool, aliases, fingerprint, outcome";

    @Inject
    DataSource dataSource;

    /** The connection's last view of one directory user. */
    public record Member(String externalId, UUID userId, boolean inPool, String emailKey, String aliases,
            long fingerprint) {
    }

    // ---------------------------------------------------------------- plan rows

    public void insert(UUID mspId, UUID runId, List<PlannedChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO sync_run_change (msp_id, run_id, " + CHANGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (PlannedChange c : changes) {
                statement.setBytes(1, Jdbc.bytes(mspId));
                statement.setBytes(2, Jdbc.bytes(runId));
                statement.setInt(3, c.seq());
                statement.setString(4, c.kind().name());
                statement.setBytes(5, Jdbc.bytes(c.userId()));
                statement.setString(6, c.externalId());
                statement.setString(7, c.email());
                statement.setString(8, c.emailKey());
                statement.setString(9, c.firstName());
                statement.setString(10, c.lastName());
                statement.setString(11, truncate(c.detail(), 500));
                Jdbc.setBoolean(statement, 12, c.inPool());
                statement.setString(13, c.aliases());
                if (c.fingerprint() == null) {
                    statement.setNull(14, Types.BIGINT);
                } else {
                    statement.setLong(14, c.fingerprint());
                }
                statement.setString(15, c.outcome() == null ? null : c.outcome().name());
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the run plan: " + e.getMessage(), e);
        }
    }

    /** Rows with {@code fromSeq <= seq < toSeq} not applied yet, in order. */
    public List<PlannedChange> pending(UUID mspId, UUID runId, int fromSeq, int toSeq) {
        List<PlannedChange> rows = new ArrayList<>();
        query("SELECT " + CHANGE_COLUMNS + " FROM sync_run_change WHERE msp_id = ? AND run_id = ? AND seq >= ?"
                + " AND seq < ? AND outcome IS NULL ORDER BY seq", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(runId));
                    statement.setInt(3, fromSeq);
                    statement.setInt(4, toSeq);
                }, rs -> rows.add(change(rs)));
        return rows;
    }

    /** A page of rows for the API, optionally of one kind, after {@code afterSeq}. */
    public List<PlannedChange> page(UUID mspId, UUID runId, ChangeKind kind, int afterSeq, int limit) {
        List<PlannedChange> rows = new ArrayList<>();
        query("SELECT " + CHANGE_COLUMNS + " FROM sync_run_change WHERE msp_id = ? AND run_id = ? AND seq > ?"
                + (kind == null ? " AND kind <> 'SNAPSHOT'" : " AND kind = ?") + " ORDER BY seq LIMIT ?",
                statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(runId));
                    statement.setInt(3, afterSeq);
                    int i = 4;
                    if (kind != null) {
                        statement.setString(i++, kind.name());
                    }
                    statement.setInt(i, limit);
                }, rs -> rows.add(change(rs)));
        return rows;
    }

    public void recordOutcomes(UUID mspId, UUID runId, Map<Integer, ChangeOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        // One statement per outcome and 500 rows (a chunk is mostly one outcome), not one UPDATE per row.
        Map<ChangeOutcome, List<Integer>> byOutcome = new EnumMap<>(ChangeOutcome.class);
        outcomes.forEach((seq, outcome) -> byOutcome.computeIfAbsent(outcome, k -> new ArrayList<>()).add(seq));
        try (Connection connection = dataSource.getConnection()) {
            for (Map.Entry<ChangeOutcome, List<Integer>> e : byOutcome.entrySet()) {
                List<Integer> seqs = e.getValue();
                for (int from = 0; from < seqs.size(); from += 500) {
                    List<Integer> part = seqs.subList(from, Math.min(seqs.size(), from + 500));
                    try (PreparedStatement statement = connection.prepareStatement("UPDATE sync_run_change"
                            + " SET outcome = ? WHERE msp_id = ? AND run_id = ? AND seq IN ("
                            + String.join(", ", Collections.nCopies(part.size(), "?")) + ")")) {
                        statement.setString(1, e.getKey().name());
                        statement.setBytes(2, Jdbc.bytes(mspId));
                        statement.setBytes(3, Jdbc.bytes(runId));
                        for (int i = 0; i < part.size(); i++) {
                            statement.setInt(4 + i, part.get(i));
                        }
                        statement.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record outcomes: " + e.getMessage(), e);
        }
    }

    /**
     * Turns the last {@code count} activations (CREATE and ACTIVATE rows, ordered by email) into OVER_LIMIT,
     * so the users left out are chosen deterministically: earlier emails in alphabetical order get the seats.
     */
    public void markOverLimit(UUID mspId, UUID runId, long count, String detail) {
        execute("UPDATE sync_run_change SET kind = 'OVER_LIMIT', detail = ? WHERE msp_id = ? AND run_id = ?"
                + " AND kind IN ('CREATE', 'ACTIVATE') ORDER BY email_key DESC, seq DESC LIMIT ?", statement -> {
                    statement.setString(1, detail);
                    statement.setBytes(2, Jdbc.bytes(mspId));
                    statement.setBytes(3, Jdbc.bytes(runId));
                    statement.setLong(4, count);
                });
    }

    public void markConflict(UUID mspId, UUID runId, int seq, String detail) {
        execute("UPDATE sync_run_change SET kind = 'CONFLICT', detail = ? WHERE msp_id = ? AND run_id = ? AND seq = ?",
                statement -> {
                    statement.setString(1, detail);
                    statement.setBytes(2, Jdbc.bytes(mspId));
                    statement.setBytes(3, Jdbc.bytes(runId));
                    statement.setInt(4, seq);
                });
    }

    /** Row counts by kind, and by outcome for applied rows. */
    public record Tally(Map<ChangeKind, Integer> byKind, Map<ChangeKind, Map<ChangeOutcome, Integer>> byOutcome) {
        public int kind(ChangeKind kind) {
            return byKind.getOrDefault(kind, 0);
        }

        public int outcome(ChangeKind kind, ChangeOutcome outcome) {
            return byOutcome.getOrDefault(kind, Map.of()).getOrDefault(outcome, 0);
        }
    }

    public Tally tally(UUID mspId, UUID runId) {
        Map<ChangeKind, Integer> byKind = new EnumMap<>(ChangeKind.class);
        Map<ChangeKind, Map<ChangeOutcome, Integer>> byOutcome = new EnumMap<>(ChangeKind.class);
        query("SELECT kind, outcome, COUNT(*) AS n FROM sync_run_change WHERE msp_id = ? AND run_id = ?"
                + " GROUP BY kind, outcome", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(runId));
                }, rs -> {
                    ChangeKind kind = ChangeKind.valueOf(rs.getString("kind"));
                    int n = rs.getInt("n");
                    byKind.merge(kind, n, Integer::sum);
                    String outcome = rs.getString("outcome");
                    if (outcome != null) {
                        byOutcome.computeIfAbsent(kind, k -> new EnumMap<>(ChangeOutcome.class))
                                .merge(ChangeOutcome.valueOf(outcome), n, Integer::sum);
                    }
                });
        return new Tally(byKind, byOutcome);
    }

    public int maxSeq(UUID mspId, UUID runId) {
        int[] max = { 0 };
        query("SELECT COALESCE(MAX(seq), 0) AS m FROM sync_run_change WHERE msp_id = ? AND run_id = ?", statement -> {
            statement.setBytes(1, Jdbc.bytes(mspId));
            statement.setBytes(2, Jdbc.bytes(runId));
        }, rs -> max[0] = rs.getInt("m"));
        return max[0];
    }

    // ---------------------------------------------------------------- sync_member

    public Map<String, Member> members(UUID mspId, UUID connectionId, Collection<String> externalIds) {
        Map<String, Member> found = new java.util.HashMap<>();
        List<String> all = List.copyOf(externalIds);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            query("SELECT external_id, user_id, in_pool, email_key, aliases, fingerprint FROM sync_member"
                    + " WHERE msp_id = ? AND connection_id = ? AND external_id IN ("
                    + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")", statement -> {
                        statement.setBytes(1, Jdbc.bytes(mspId));
                        statement.setBytes(2, Jdbc.bytes(connectionId));
                        int i = 3;
                        for (String id : chunk) {
                            statement.setString(i++, id);
                        }
                    }, rs -> {
                        Member m = member(rs);
                        found.put(m.externalId(), m);
                    });
        }
        return found;
    }

    /** Streams the members currently in the pool. */
    public void forEachInPool(UUID mspId, UUID connectionId, Consumer<Member> consumer) {
        query("SELECT external_id, user_id, in_pool, email_key, aliases, fingerprint FROM sync_member"
                + " WHERE msp_id = ? AND connection_id = ? AND in_pool = TRUE", statement -> {
                    statement.setBytes(1, Jdbc.bytes(mspId));
                    statement.setBytes(2, Jdbc.bytes(connectionId));
                }, rs -> consumer.accept(member(rs)));
    }

    public void upsertMembers(UUID mspId, UUID connectionId, Collection<Member> members) {
        if (members.isEmpty()) {
            return;
        }
        // REPLACE would delete and re-insert; ON DUPLICATE KEY UPDATE keeps it one write on both servers.
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection
                .prepareStatement("INSERT INTO sync_member (msp_id, connection_id, external_id, user_id, in_pool,"
                        + " email_key, aliases, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " user_id = VALUES(user_id), in_pool = VALUES(in_pool), email_key = VALUES(email_key),"
                        + " aliases = VALUES(aliases), fingerprint = VALUES(fingerprint)")) {
            for (Member m : members) {
                statement.setBytes(1, Jdbc.bytes(mspId));
                statement.setBytes(2, Jdbc.bytes(connectionId));
                statement.setString(3, m.externalId());
                statement.setBytes(4, Jdbc.bytes(m.userId()));
                statement.setBoolean(5, m.inPool());
                statement.setString(6, m.emailKey());
                statement.setString(7, m.aliases());
                statement.setLong(8, m.fingerprint());
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store sync members: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Binder binder, RowReader reader) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("sync query failed: " + e.getMessage(), e);
        }
    }

    private void execute(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("sync update failed: " + e.getMessage(), e);
        }
    }

    private static PlannedChange change(ResultSet rs) throws SQLException {
        long fingerprint = rs.getLong("fingerprint");
        Long fp = rs.wasNull() ? null : fingerprint;
        String outcome = rs.getString("outcome");
        return new PlannedChange(rs.getInt("seq"), ChangeKind.valueOf(rs.getString("kind")), Jdbc.uuid(rs, "user_id"),
                rs.getString("external_id"), rs.getString("email"), rs.getString("email_key"),
                rs.getString("first_name"), rs.getString("last_name"), rs.getString("detail"),
                Jdbc.getBoolean(rs, "in_pool"), rs.getString("aliases"), fp,
                outcome == null ? null : ChangeOutcome.valueOf(outcome));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getString("external_id"), Jdbc.uuid(rs, "user_id"), rs.getBoolean("in_pool"),
                rs.getString("email_key"), rs.getString("aliases"), rs.getLong("fingerprint"));
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
