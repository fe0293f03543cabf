package io.usersync.billing.internal.ledger;

import io.usersync.billing.api.ClientBreakdown;
import io.usersync.billing.api.Peak;
import io.usersync.billing.internal.Sql;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Exact figures read from the buckets, never from the events. A period's MSP-wide peak is the largest of the
 * count at its start and every bucket's peak, so it reads at most ~744 rows. Per-client figures come from one
 * clustered range scan of the clients' buckets since the period start: a client's count at an instant is its
 * current count minus the changes after that instant. Neither depends on the number of events or on how much
 * history the MSP has.
 */
public final class UsageReader {

    /** MSP-wide figures of {@code [from, to)}. */
    public record Figures(Peak peak, long usersAtStart, long distinctUsers) {
    }

    /**
     * One client's figures for a period.
     *
     * @param current   billable users now
     * @param atInstant billable users at the instant asked for (the MSP-wide peak), 0 when none was asked
     */
    public record ClientFigures(UUID clientId, long current, long atStart, long atInstant, long ownPeak,
            long distinct) {
    }

    private static final int IN_LIST = 500;

    private UsageReader() {
    }

    /** Peak, users at the start and distinct users of {@code [from, to)}; {@code from} must be hour-aligned. */
    public static Figures figures(Connection c, UUID msp, Instant from, Instant to) {
        BucketScope scope = BucketScope.msp(msp);
        BucketState before = Buckets.latestAtOrBefore(c, scope, from);
        long atStart = before == null ? 0
                : before.bucketStart().equals(from) ? before.countAtStart() : before.countAtEnd();
        long peak = atStart;
        Instant peakAt = from;
        long newcomers = 0;
        for (BucketState bucket : Buckets.range(c, scope, from, to)) {
            if (bucket.peak() > peak) {
                peak = bucket.peak();
                peakAt = bucket.peakAt();
            }
            newcomers += bucket.newcomers();
        }
        return new Figures(new Peak(peak, peakAt), atStart, atStart + newcomers);
    }

    /** Billable users now (after every applied change). */
    public static long current(Connection c, UUID msp) {
        Long count = Sql.one(c, "SELECT base + net AS n FROM billing_bucket WHERE msp_id = ?"
                + " ORDER BY bucket_start DESC LIMIT 1", rs -> rs.getLong("n"), msp);
        return count == null ? 0 : count;
    }

    /**
     * Every known client's figures for {@code [from, to)} ({@code from} hour-aligned), with its count at
     * {@code instant} when one is given.
     */
    public static List<ClientFigures> clients(Connection c, UUID msp, Instant from, Instant to, Instant instant) {
        Map<UUID, Long> current = new HashMap<>();
        Sql.query(c, "SELECT client_id, current_count FROM billing_client WHERE msp_id = ?",
                rs -> current.put(Sql.uuid(rs, "client_id"), rs.getLong("current_count")), msp);
        if (current.isEmpty()) {
            return List.of();
        }
        Instant instantHour = instant == null ? to : Buckets.bucketOf(instant);
        Map<UUID, long[]> scanned = new HashMap<>(); // {after start, after instant's hour, peak, newcomers}
        for (List<UUID> chunk : Sql.chunks(current.keySet(), IN_LIST)) {
            // the client ids make the primary key a multi-range scan of exactly these clients since the start
            Sql.query(c, "SELECT client_id,"
                    + " SUM(CASE WHEN bucket_start > ? THEN net ELSE 0 END) AS after_start,"
                    + " SUM(CASE WHEN bucket_start > ? THEN net ELSE 0 END) AS after_instant,"
                    + " MAX(CASE WHEN bucket_start < ? THEN base + CASE WHEN first_at IS NOT NULL"
                    + "     AND first_at = bucket_start THEN max_rel ELSE GREATEST(0, COALESCE(max_rel, 0)) END END) AS peak,"
                    + " SUM(CASE WHEN bucket_start < ? THEN newcomers ELSE 0 END) AS newcomers"
                    + " FROM billing_client_bucket WHERE msp_id = ? AND client_id IN (" + Sql.marks(chunk.size()) + ")"
                    + " AND bucket_start >= ? GROUP BY client_id", rs -> scanned.put(Sql.uuid(rs, "client_id"),
                            new long[] { rs.getLong("after_start"), rs.getLong("after_instant"), rs.getLong("peak"),
                                    rs.getLong("newcomers") }),
                    params(new Object[] { from, instantHour, to, to, msp }, chunk, from));
        }
        Map<UUID, Long> afterStartInHour = changesLaterInHour(c, msp, from);
        Map<UUID, Long> afterInstantInHour = instant == null ? Map.of() : changesLaterInHour(c, msp, instant);
        List<ClientFigures> figures = new ArrayList<>(current.size());
        for (Map.Entry<UUID, Long> e : current.entrySet()) {
            UUID client = e.getKey();
            long[] s = scanned.getOrDefault(client, new long[4]);
            long atStart = e.getValue() - s[0] - afterStartInHour.getOrDefault(client, 0L);
            long atInstant = instant == null ? 0 : e.getValue() - s[1] - afterInstantInHour.getOrDefault(client, 0L);
            figures.add(new ClientFigures(client, e.getValue(), atStart, atInstant, Math.max(atStart, s[2]),
                    atStart + s[3]));
        }
        return figures;
    }

    /** The per-client breakdown of a period; clients with no billable user in it are left out. */
    public static List<ClientBreakdown> breakdown(Connection c, UUID msp, Instant from, Instant to, Instant peakAt) {
        List<ClientBreakdown> rows = new ArrayList<>();
        for (ClientFigures f : clients(c, msp, from, to, peakAt)) {
            if (f.ownPeak() > 0 || f.distinct() > 0) {
                rows.add(new ClientBreakdown(f.clientId(), f.atInstant(), f.ownPeak(), f.distinct()));
            }
        }
        rows.sort(Comparator.comparingLong(ClientBreakdown::usersAtPeak).reversed()
                .thenComparing(Comparator.comparingLong(ClientBreakdown::ownPeak).reversed())
                .thenComparing(ClientBreakdown::clientId));
        return rows;
    }

    private static Object[] params(Object[] head, List<UUID> list, Object tail) {
        Object[] all = new Object[head.length + list.size() + 1];
        System.arraycopy(head, 0, all, 0, head.length);
        for (int i = 0; i < list.size(); i++) {
            all[head.length + i] = list.get(i);
        }
        all[all.length - 1] = tail;
        return all;
    }

    /** Net change per client strictly after {@code at} and before the end of its hour. */
    private static Map<UUID, Long> changesLaterInHour(Connection c, UUID msp, Instant at) {
        Instant end = Buckets.bucketOf(at).plus(Buckets.WIDTH);
        Map<UUID, Long> changes = new HashMap<>();
        Sql.query(c, "SELECT client_id, SUM(d) AS d FROM ("
                + " SELECT client_id, 1 AS d FROM billing_interval WHERE msp_id = ? AND from_at > ? AND from_at < ?"
                + " UNION ALL"
                + " SELECT client_id, -1 AS d FROM billing_interval WHERE msp_id = ? AND to_at > ? AND to_at < ?"
                + ") x GROUP BY client_id", rs -> changes.put(Sql.uuid(rs, "client_id"), rs.getLong("d")),
                msp, at, end, msp, at, end);
        return changes;
    }
}
