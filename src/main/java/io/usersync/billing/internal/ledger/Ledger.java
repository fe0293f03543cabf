package io.usersync.billing.internal.ledger;

import io.usersync.billing.internal.Account;
import io.usersync.billing.internal.Sql;
import io.usersync.billing.internal.period.Periods;
import io.usersync.events.OutboxEvent;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientStatus;
import io.usersync.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies new USER_ACTIVE and CLIENT_STATE facts of one MSP to its ledger, inside the consumer's transaction:
 * <ol>
 * <li>client billable windows are recomputed from every CLIENT_STATE fact of the client; where they changed,
 * every user of the client is recomputed from the start of the billing period of the change;</li>
 * <li>each touched user's activity spans are recomputed from every USER_ACTIVE fact of that user; where they
 * changed, the user is recomputed from the start of the period of the change;</li>
 * <li>billable intervals = activity ∩ windows in the recomputed range, written as a diff;</li>
 * <li>the diff's boundary changes update the MSP-wide and per-client hourly buckets.</li>
 * </ol>
 * Every computation starts from the complete stored facts, ordered by their instant (then outbox order), so the
 * result does not depend on the order in which events arrive or commit.
 */
public final class Ledger {

    /** What an application changed that callers care about. */
    public record Outcome(int lateChanges) {
    }

    private static final int IN_LIST = 500;

    private Ledger() {
    }

    /**
     * @param facts the MSP's new facts, already recorded in {@code billing_event} (duplicates removed)
     */
    public static Outcome apply(Connection c, Account account, List<FactRow> facts) {
        UUID msp = account.mspId();
        Periods periods = account.periods();
        Map<UUID, List<FactRow>> newClientFacts = new HashMap<>();
        Map<UUID, UUID> userClients = new HashMap<>();
        for (FactRow fact : facts) {
            switch (fact.kind()) {
                case CLIENT_STATE -> newClientFacts.computeIfAbsent(fact.clientId(), k -> new ArrayList<>())
                        .add(fact);
                case USER_ACTIVE -> userClients.put(fact.userId(), fact.clientId());
                default -> {
                    // MSP facts are applied by the consumer
                }
            }
        }
        if (newClientFacts.isEmpty() && userClients.isEmpty()) {
            return new Outcome(0);
        }

        // 1. client windows
        Set<UUID> clients = new HashSet<>(newClientFacts.keySet());
        clients.addAll(userClients.values());
        Map<UUID, List<FactRow>> clientHistory = loadClientFacts(c, msp, clients);
        Map<UUID, List<Span>> windows = new HashMap<>();
        Map<UUID, Instant> clientRecomputeFrom = new HashMap<>();
        for (UUID client : clients) {
            List<FactRow> history = clientHistory.getOrDefault(client, List.of());
            List<Span> current = Timeline.billableWindows(history.stream().map(FactRow::clientFact).toList());
            windows.put(client, current);
            List<FactRow> fresh = newClientFacts.get(client);
            if (fresh != null) {
                Set<Long> freshSeqs = new HashSet<>();
                fresh.forEach(f -> freshSeqs.add(f.seq()));
                List<Span> before = Timeline.billableWindows(history.stream()
                        .filter(f -> !freshSeqs.contains(f.seq())).map(FactRow::clientFact).toList());
                Instant changed = Timeline.firstDifference(before, current);
                if (changed != null) {
                    clientRecomputeFrom.put(client, periods.startOfPeriodContaining(changed));
                }
                saveClientState(c, msp, client, history.getLast());
            }
        }

        // 2. user activity
        Map<UUID, Instant> userRecomputeFrom = new HashMap<>();
        if (!userClients.isEmpty()) {
            Map<UUID, List<Transition>> transitions = loadUserTransitions(c, msp, userClients.keySet());
            Map<UUID, List<Span>> stored = loadActivityOfUsers(c, msp, userClients.keySet(), null);
            List<Object[]> deletes = new ArrayList<>();
            List<Object[]> inserts = new ArrayList<>();
            for (Map.Entry<UUID, UUID> e : userClients.entrySet()) {
                UUID user = e.getKey();
                List<Span> before = stored.getOrDefault(user, List.of());
                List<Span> after = Timeline.spans(transitions.getOrDefault(user, List.of()));
                Instant changed = Timeline.firstDifference(before, after);
                if (changed == null) {
                    continue;
                }
                userRecomputeFrom.put(user, periods.startOfPeriodContaining(changed));
                Set<Span> keep = new HashSet<>(after);
                for (Span s : before) {
                    if (!keep.remove(s)) {
                        deletes.add(new Object[] { msp, user, s.from() });
                    }
                }
                for (Span s : keep) {
                    inserts.add(new Object[] { msp, e.getValue(), user, s.from(), s.to() });
                }
            }
            Sql.batch(c, "DELETE FROM billing_activity WHERE msp_id = ? AND user_id = ? AND from_at = ?", deletes);
            Sql.batch(c, "INSERT INTO billing_activity (msp_id, client_id, user_id, from_at, to_at)"
                    + " VALUES (?, ?, ?, ?, ?)", inserts);
        }

        // 3. billable intervals, client by client
        Changes changes = new Changes();
        for (UUID client : clients) {
            Map<UUID, Instant> from = new HashMap<>();
            userClients.forEach((user, userClient) -> {
                if (userClient.equals(client) && userRecomputeFrom.containsKey(user)) {
                    from.put(user, userRecomputeFrom.get(user));
                }
            });
            Instant clientFrom = clientRecomputeFrom.get(client);
            Map<UUID, List<Span>> activity;
            Map<UUID, List<Interval>> intervals;
            if (clientFrom != null) {
                Instant earliest = earliest(from.values(), clientFrom);
                activity = loadActivityOfClient(c, msp, client, earliest);
                intervals = loadIntervalsOfClient(c, msp, client, earliest);
                for (UUID user : activity.keySet()) {
                    from.merge(user, clientFrom, Timeline::min);
                }
                for (UUID user : intervals.keySet()) {
                    from.merge(user, clientFrom, Timeline::min);
                }
            } else {
                if (from.isEmpty()) {
                    continue;
                }
                Instant earliest = earliest(from.values(), null);
                activity = loadActivityOfUsers(c, msp, from.keySet(), earliest);
                intervals = loadIntervalsOfUsers(c, msp, from.keySet(), earliest);
            }
            List<Span> clientWindows = windows.get(client);
            for (Map.Entry<UUID, Instant> e : from.entrySet()) {
                recomputeUser(msp, client, e.getKey(), e.getValue(), activity.getOrDefault(e.getKey(), List.of()),
                        intervals.getOrDefault(e.getKey(), List.of()), clientWindows, periods, changes);
            }
        }
        Sql.batch(c, "DELETE FROM billing_interval WHERE msp_id = ? AND user_id = ? AND from_at = ?",
                changes.intervalDeletes);
        Sql.batch(c, "INSERT INTO billing_interval (msp_id, client_id, user_id, from_at, to_at, newcomer)"
                + " VALUES (?, ?, ?, ?, ?, ?)", changes.intervalInserts);

        // 4. buckets
        NavigableMap<Instant, long[]> mspChanges = nonZero(changes.msp);
        int late = mspChanges.headMap(account.invoicedUntil(), false).size();
        Buckets.apply(c, BucketScope.msp(msp), mspChanges);
        List<Object[]> counts = new ArrayList<>();
        for (Map.Entry<UUID, TreeMap<Instant, long[]>> e : changes.perClient.entrySet()) {
            long delta = e.getValue().values().stream().mapToLong(v -> v[0]).sum();
            if (delta != 0) {
                counts.add(new Object[] { delta, msp, e.getKey() });
            }
            Buckets.apply(c, BucketScope.client(msp, e.getKey()), nonZero(e.getValue()));
        }
        Sql.batch(c, "UPDATE billing_client SET current_count = current_count + ? WHERE msp_id = ? AND client_id = ?",
                counts);
        return new Outcome(late);
    }

    /** Recomputes one user's billable intervals from {@code from} (a period start) and records the diff. */
    private static void recomputeUser(UUID msp, UUID client, UUID user, Instant from, List<Span> activity,
            List<Interval> stored, List<Span> windows, Periods periods, Changes changes) {
        List<Interval> old = new ArrayList<>();
        Interval straddler = null;
        for (Interval i : stored) {
            if (!i.to().isBefore(from)) {
                old.add(i);
                if (i.from().isBefore(from)) {
                    straddler = i;
                }
            }
        }
        List<Interval> fresh = Timeline.billable(from, activity, windows, straddler, periods);
        Set<Interval> added = new HashSet<>(fresh);
        for (Interval i : old) {
            if (!added.remove(i)) {
                changes.intervalDeletes.add(new Object[] { msp, user, i.from() });
                changes.boundary(client, i.from(), -1, i.newcomer() ? -1 : 0);
                if (!i.span().open()) {
                    changes.boundary(client, i.to(), +1, 0);
                }
            }
        }
        for (Interval i : added) {
            changes.intervalInserts.add(new Object[] { msp, client, user, i.from(), i.to(), i.newcomer() });
            changes.boundary(client, i.from(), +1, i.newcomer() ? 1 : 0);
            if (!i.span().open()) {
                changes.boundary(client, i.to(), -1, 0);
            }
        }
    }

    /** Interval rows to write and the boundary changes they make, MSP-wide and per client. */
    private static final class Changes {
        final List<Object[]> intervalDeletes = new ArrayList<>();
        final List<Object[]> intervalInserts = new ArrayList<>();
        final TreeMap<Instant, long[]> msp = new TreeMap<>();
        final Map<UUID, TreeMap<Instant, long[]>> perClient = new HashMap<>();

        void boundary(UUID client, Instant at, long delta, long newcomer) {
            add(msp, at, delta, newcomer);
            add(perClient.computeIfAbsent(client, k -> new TreeMap<>()), at, delta, newcomer);
        }

        private static void add(TreeMap<Instant, long[]> map, Instant at, long delta, long newcomer) {
            long[] sum = map.computeIfAbsent(at, k -> new long[2]);
            sum[0] += delta;
            sum[1] += newcomer;
        }
    }

    private static NavigableMap<Instant, long[]> nonZero(TreeMap<Instant, long[]> changes) {
        changes.values().removeIf(v -> v[0] == 0 && v[1] == 0);
        return changes;
    }

    private static Instant earliest(Collection<Instant> instants, Instant also) {
        Instant earliest = also;
        for (Instant i : instants) {
            earliest = earliest == null ? i : Timeline.min(earliest, i);
        }
        return earliest;
    }

    // ---------------------------------------------------------------- loading

    private static Map<UUID, List<FactRow>> loadClientFacts(Connection c, UUID msp, Set<UUID> clients) {
        Map<UUID, List<FactRow>> byClient = new HashMap<>();
        for (List<UUID> chunk : Sql.chunks(clients, IN_LIST)) {
            for (FactRow row : Sql.query(c, "SELECT " + FactRow.COLUMNS + " FROM billing_event WHERE msp_id = ?"
                    + " AND kind = 'CLIENT_STATE' AND client_id IN (" + Sql.marks(chunk.size()) + ")"
                    + " ORDER BY occurred_at, seq", FactRow::map, Sql.params(chunk, msp))) {
                byClient.computeIfAbsent(row.clientId(), k -> new ArrayList<>()).add(row);
            }
        }
        return byClient;
    }

    private static Map<UUID, List<Transition>> loadUserTransitions(Connection c, UUID msp, Set<UUID> users) {
        Map<UUID, List<Transition>> byUser = new HashMap<>();
        for (List<UUID> chunk : Sql.chunks(users, IN_LIST)) {
            Sql.query(c, "SELECT user_id, occurred_at, seq, now_active FROM billing_event WHERE msp_id = ?"
                    + " AND user_id IN (" + Sql.marks(chunk.size()) + ") AND kind = 'USER_ACTIVE'", rs -> {
                        byUser.computeIfAbsent(Sql.uuid(rs, "user_id"), k -> new ArrayList<>()).add(new Transition(
                                Sql.instant(rs, "occurred_at"), rs.getLong("seq"), rs.getBoolean("now_active")));
                        return null;
                    }, Sql.params(chunk, msp));
        }
        return byUser;
    }

    private static Map<UUID, List<Span>> loadActivityOfUsers(Connection c, UUID msp, Set<UUID> users,
            Instant endingAtOrAfter) {
        Map<UUID, List<Span>> byUser = new HashMap<>();
        for (List<UUID> chunk : Sql.chunks(users, IN_LIST)) {
            String sql = "SELECT user_id, from_at, to_at FROM billing_activity WHERE msp_id = ? AND user_id IN ("
                    + Sql.marks(chunk.size()) + ")" + (endingAtOrAfter == null ? "" : " AND to_at >= ?")
                    + " ORDER BY user_id, from_at";
            Object[] params = Sql.params(chunk, msp);
            if (endingAtOrAfter != null) {
                params = append(params, endingAtOrAfter);
            }
            collectSpans(c, sql, params, byUser);
        }
        return byUser;
    }

    private static Map<UUID, List<Span>> loadActivityOfClient(Connection c, UUID msp, UUID client,
            Instant endingAtOrAfter) {
        Map<UUID, List<Span>> byUser = new HashMap<>();
        collectSpans(c, "SELECT user_id, from_at, to_at FROM billing_activity WHERE msp_id = ? AND client_id = ?"
                + " AND to_at >= ? ORDER BY user_id, from_at", new Object[] { msp, client, endingAtOrAfter }, byUser);
        return byUser;
    }

    private static void collectSpans(Connection c, String sql, Object[] params, Map<UUID, List<Span>> byUser) {
        Sql.query(c, sql, rs -> {
            byUser.computeIfAbsent(Sql.uuid(rs, "user_id"), k -> new ArrayList<>())
                    .add(new Span(Sql.instant(rs, "from_at"), Sql.instant(rs, "to_at")));
            return null;
        }, params);
    }

    private static Map<UUID, List<Interval>> loadIntervalsOfUsers(Connection c, UUID msp, Set<UUID> users,
            Instant endingAtOrAfter) {
        Map<UUID, List<Interval>> byUser = new HashMap<>();
        for (List<UUID> chunk : Sql.chunks(users, IN_LIST)) {
            collectIntervals(c, "SELECT user_id, from_at, to_at, newcomer FROM billing_interval WHERE msp_id = ?"
                    + " AND user_id IN (" + Sql.marks(chunk.size()) + ") AND to_at >= ? ORDER BY user_id, from_at",
                    append(Sql.params(chunk, msp), endingAtOrAfter), byUser);
        }
        return byUser;
    }

    private static Map<UUID, List<Interval>> loadIntervalsOfClient(Connection c, UUID msp, UUID client,
            Instant endingAtOrAfter) {
        Map<UUID, List<Interval>> byUser = new HashMap<>();
        collectIntervals(c, "SELECT user_id, from_at, to_at, newcomer FROM billing_interval WHERE msp_id = ?"
                + " AND client_id = ? AND to_at >= ? ORDER BY user_id, from_at",
                new Object[] { msp, client, endingAtOrAfter }, byUser);
        return byUser;
    }

    private static void collectIntervals(Connection c, String sql, Object[] params,
            Map<UUID, List<Interval>> byUser) {
        Sql.query(c, sql, rs -> {
            byUser.computeIfAbsent(Sql.uuid(rs, "user_id"), k -> new ArrayList<>()).add(new Interval(
                    Sql.instant(rs, "from_at"), Sql.instant(rs, "to_at"), rs.getBoolean("newcomer")));
            return null;
        }, params);
    }

    private static void saveClientState(Connection c, UUID msp, UUID client, FactRow latest) {
        Sql.update(c, "INSERT INTO billing_client (msp_id, client_id, status, billing_model, deleted, billable,"
                + " state_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE status = VALUES(status),"
                + " billing_model = VALUES(billing_model), deleted = VALUES(deleted), billable = VALUES(billable),"
                + " state_at = VALUES(state_at)", msp, client, nameOr(latest.clientStatus()),
                nameOr(latest.billingModel()), latest.clientFact().deleted(), latest.clientFact().billable(),
                latest.occurredAt());
    }

    private static String nameOr(Enum<?> value) {
        return value == null ? "UNKNOWN" : value.name();
    }

    private static Object[] append(Object[] params, Object last) {
        Object[] all = Arrays.copyOf(params, params.length + 1);
        all[params.length] = last;
        return all;
    }

    /** A fact as stored in {@code billing_event}. */
    public record FactRow(long seq, UUID eventId, OutboxEvent.Kind kind, UUID clientId, UUID userId,
            Instant occurredAt, Boolean nowActive, ClientStatus clientStatus, BillingModel billingModel,
            Boolean clientDeleted) {

        static final String COLUMNS = "seq, event_id, kind, client_id, user_id, occurred_at, now_active,"
                + " client_status, billing_model, client_deleted";

        /** The CLIENT_STATE fact as the timeline needs it: billable = not TRIAL, MONTHLY, not deleted. */
        ClientFact clientFact() {
            boolean deleted = Boolean.TRUE.equals(clientDeleted);
            boolean billable = clientStatus != null && clientStatus != ClientStatus.TRIAL
                    && billingModel == BillingModel.MONTHLY && !deleted;
            return new ClientFact(occurredAt, seq, billable, deleted);
        }

        static FactRow map(ResultSet rs) throws SQLException {
            String status = rs.getString("client_status");
            String model = rs.getString("billing_model");
            return new FactRow(rs.getLong("seq"), Sql.uuid(rs, "event_id"), OutboxEvent.Kind.valueOf(
                    rs.getString("kind")), Sql.uuid(rs, "client_id"), Sql.uuid(rs, "user_id"),
                    Sql.instant(rs, "occurred_at"), Jdbc.getBoolean(rs, "now_active"),
                    status == null ? null : ClientStatus.valueOf(status),
                    model == null ? null : BillingModel.valueOf(model),
                    Jdbc.getBoolean(rs, "client_deleted"));
        }
    }
}
