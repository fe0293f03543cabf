package io.usersync.billing.internal.ledger;

import io.usersync.billing.api.ClientBreakdown;
import io.usersync.billing.api.Peak;
import io.usersync.billing.internal.Sql;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Exact figures read from the buckets: a period's peak is the largest of the count at its start and every
 * bucket's peak ({@code base + max prefix}), so its cost depends on the number of hours with changes (at most
 * ~744 per period), not on the number of events.
 */
public final class UsageReader {

    /** MSP-wide figures of {@code [from, to)}. */
    public record Figures(Peak peak, long usersAtStart, long distinctUsers) {
    }

    private UsageReader() {
    }

    /** Peak, users at the start and distinct users of {@code [from, to)}; {@code from} must be hour-aligned. */
    public static Figures figures(Connection c, UUID msp, Instant from, Instant to) {
        BucketScope scope = BucketScope.msp(msp);
        long atStart = countAtBucketStart(c, scope, from);
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

    /** Each client's billable users now. */
    public static Map<UUID, Long> currentPerClient(Connection c, UUID msp) {
        Map<UUID, Long> counts = new HashMap<>();
        for (Object[] row : latestClientBuckets(c, msp, Timeline.OPEN_END)) {
            counts.put((UUID) row[0], ((BucketState) row[1]).countAtEnd());
        }
        return counts;
    }

    /**
     * The per-client breakdown of {@code [from, to)}: each client's count at the MSP-wide peak instant, its own
     * peak and its distinct users. Clients with no billable user in the period are left out.
     */
    public static List<ClientBreakdown> breakdown(Connection c, UUID msp, Instant from, Instant to, Instant peakAt) {
        Map<UUID, Long> atStart = countsAt(c, msp, from);
        Map<UUID, Long> atPeak = countsAt(c, msp, peakAt);
        Map<UUID, long[]> inPeriod = new HashMap<>();
        Sql.query(c, "SELECT client_id, MAX(base + CASE WHEN first_at IS NOT NULL AND first_at = bucket_start"
                + " THEN max_rel ELSE GREATEST(0, COALESCE(max_rel, 0)) END) AS peak, SUM(newcomers) AS newcomers"
                + " FROM billing_client_bucket WHERE msp_id = ? AND bucket_start >= ? AND bucket_start < ?"
                + " GROUP BY client_id", rs -> inPeriod.put(Sql.uuid(rs, "client_id"),
                        new long[] { rs.getLong("peak"), rs.getLong("newcomers") }), msp, from, to);
        Set<UUID> clients = new HashSet<>(atStart.keySet());
        clients.addAll(inPeriod.keySet());
        List<ClientBreakdown> rows = new ArrayList<>();
        for (UUID client : clients) {
            long start = atStart.getOrDefault(client, 0L);
            long[] period = inPeriod.getOrDefault(client, new long[2]);
            long ownPeak = Math.max(start, period[0]);
            long distinct = start + period[1];
            if (ownPeak > 0 || distinct > 0) {
                rows.add(new ClientBreakdown(client, atPeak.getOrDefault(client, 0L), ownPeak, distinct));
            }
        }
        rows.sort(Comparator.comparingLong(ClientBreakdown::usersAtPeak).reversed()
                .thenComparing(Comparator.comparingLong(ClientBreakdown::ownPeak).reversed())
                .thenComparing(ClientBreakdown::clientId));
        return rows;
    }

    /** Each client's own peak in {@code [from, to)} (clients with buckets in the range or users at its start). */
    public static Map<UUID, Long> clientPeaks(Connection c, UUID msp, Instant from, Instant to) {
        Map<UUID, Long> peaks = new HashMap<>(countsAt(c, msp, from));
        Sql.query(c, "SELECT client_id, MAX(base + CASE WHEN first_at IS NOT NULL AND first_at = bucket_start"
                + " THEN max_rel ELSE GREATEST(0, COALESCE(max_rel, 0)) END) AS peak"
                + " FROM billing_client_bucket WHERE msp_id = ? AND bucket_start >= ? AND bucket_start < ?"
                + " GROUP BY client_id", rs -> peaks.merge(Sql.uuid(rs, "client_id"), rs.getLong("peak"), Math::max),
                msp, from, to);
        return peaks;
    }

    /** Each client's count at an instant, after the changes at exactly that instant. */
    static Map<UUID, Long> countsAt(Connection c, UUID msp, Instant at) {
        Instant hour = Buckets.bucketOf(at);
        Map<UUID, Long> counts = new HashMap<>();
        Set<UUID> partial = new HashSet<>();
        for (Object[] row : latestClientBuckets(c, msp, hour)) {
            UUID client = (UUID) row[0];
            BucketState bucket = (BucketState) row[1];
            if (!bucket.bucketStart().equals(hour)) {
                counts.put(client, bucket.countAtEnd());
            } else if (at.equals(hour)) {
                counts.put(client, bucket.countAtStart());
            } else {
                counts.put(client, bucket.base);
                partial.add(client);
            }
        }
        if (!partial.isEmpty()) {
            // changes from the start of the hour up to and including the instant
            Sql.query(c, "SELECT client_id, SUM(d) AS d FROM ("
                    + " SELECT client_id, 1 AS d FROM billing_interval WHERE msp_id = ? AND from_at >= ? AND from_at <= ?"
                    + " UNION ALL"
                    + " SELECT client_id, -1 AS d FROM billing_interval WHERE msp_id = ? AND to_at >= ? AND to_at <= ?"
                    + ") x GROUP BY client_id", rs -> {
                        UUID client = Sql.uuid(rs, "client_id");
                        if (partial.contains(client)) {
                            counts.merge(client, rs.getLong("d"), Long::sum);
                        }
                        return null;
                    }, msp, hour, at, msp, hour, at);
        }
        counts.values().removeIf(v -> v == 0);
        return counts;
    }

    private static long countAtBucketStart(Connection c, BucketScope scope, Instant hour) {
        BucketState latest = Buckets.latestAtOrBefore(c, scope, hour);
        if (latest == null) {
            return 0;
        }
        return latest.bucketStart().equals(hour) ? latest.countAtStart() : latest.countAtEnd();
    }

    /** For each client, its latest bucket starting at or before {@code instant}: {clientId, BucketState}. */
    private static List<Object[]> latestClientBuckets(Connection c, UUID msp, Instant instant) {
        return Sql.query(c, "SELECT b.client_id, b.bucket_start, b.base, b.net, b.start_delta, b.max_rel, b.max_at,"
                + " b.first_at, b.last_at, b.newcomers FROM billing_client_bucket b"
                + " JOIN (SELECT client_id, MAX(bucket_start) AS latest FROM billing_client_bucket"
                + "        WHERE msp_id = ? AND bucket_start <= ? GROUP BY client_id) m"
                + "   ON b.client_id = m.client_id AND b.bucket_start = m.latest"
                + " WHERE b.msp_id = ?", rs -> new Object[] { Sql.uuid(rs, "client_id"), Buckets.map(rs) },
                msp, instant, msp);
    }
}
