package io.usersync.billing.internal.ledger;

import io.usersync.billing.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Maintains the hourly buckets of one scope. In-order changes (after a bucket's last group) are appended; a
 * change at or before it recomputes that one bucket from the interval rows. A bucket's net change moves the
 * base of every later bucket of the scope (one range update, usually of zero rows because the change is in the
 * newest bucket).
 */
public final class Buckets {

    /** Bucket width. Period starts are UTC midnights, so periods are made of whole buckets. */
    public static final Duration WIDTH = Duration.ofHours(1);

    private static final String COLUMNS = "bucket_start, base, net, start_delta, max_rel, max_at, first_at, last_at,"
            + " newcomers";

    private Buckets() {
    }

    public static Instant bucketOf(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }

    /**
     * Applies changes to a scope.
     *
     * @param changes per instant: {net change of the count, change of the newcomer count}
     */
    static void apply(Connection c, BucketScope scope, NavigableMap<Instant, long[]> changes) {
        Map<Instant, NavigableMap<Instant, long[]>> byBucket = new TreeMap<>();
        changes.forEach((at, delta) -> byBucket.computeIfAbsent(bucketOf(at), b -> new TreeMap<>()).put(at, delta));
        for (Map.Entry<Instant, NavigableMap<Instant, long[]>> e : byBucket.entrySet()) {
            applyToBucket(c, scope, e.getKey(), e.getValue());
        }
    }

    private static void applyToBucket(Connection c, BucketScope scope, Instant bucketStart,
            NavigableMap<Instant, long[]> changes) {
        BucketState existing = load(c, scope, bucketStart);
        BucketState state = existing != null ? existing : BucketState.empty(bucketStart, countBefore(c, scope,
                bucketStart));
        long oldNet = state.net;
        Instant firstCountChange = null;
        long newcomers = 0;
        for (Map.Entry<Instant, long[]> e : changes.entrySet()) {
            if (e.getValue()[0] != 0 && firstCountChange == null) {
                firstCountChange = e.getKey();
            }
            newcomers += e.getValue()[1];
        }
        if (firstCountChange == null || state.canAppend(firstCountChange)) {
            for (Map.Entry<Instant, long[]> e : changes.entrySet()) {
                state.append(e.getKey(), e.getValue()[0]);
            }
            state.newcomers += newcomers;
        } else {
            state = recompute(c, scope, bucketStart, state.base);
        }
        save(c, scope, state);
        long shift = state.net - oldNet;
        if (shift != 0) {
            Sql.update(c, "UPDATE " + scope.table() + " SET base = base + ? WHERE " + scope.where()
                    + " AND bucket_start > ?", prepend(shift, scope.params(bucketStart)));
        }
    }

    /** Rebuilds a bucket from the billable intervals whose boundaries fall in it. */
    static BucketState recompute(Connection c, BucketScope scope, Instant bucketStart, long base) {
        Instant end = bucketStart.plus(WIDTH);
        String filter = scope.isMsp() ? "msp_id = ?" : "msp_id = ? AND client_id = ?";
        String sql = "SELECT at, SUM(d) AS d, SUM(n) AS n FROM ("
                + " SELECT from_at AS at, 1 AS d, CASE WHEN newcomer THEN 1 ELSE 0 END AS n FROM billing_interval"
                + " WHERE " + filter + " AND from_at >= ? AND from_at < ?"
                + " UNION ALL"
                + " SELECT to_at AS at, -1 AS d, 0 AS n FROM billing_interval"
                + " WHERE " + filter + " AND to_at >= ? AND to_at < ?"
                + ") x GROUP BY at ORDER BY at";
        Object[] first = scope.params(bucketStart, end);
        Object[] params = new Object[first.length * 2];
        System.arraycopy(first, 0, params, 0, first.length);
        System.arraycopy(first, 0, params, first.length, first.length);
        TreeMap<Instant, long[]> instants = new TreeMap<>();
        for (Object[] row : Sql.query(c, sql, rs -> new Object[] { Sql.instant(rs, "at"), rs.getLong("d"),
                rs.getLong("n") }, params)) {
            instants.put((Instant) row[0], new long[] { (Long) row[1], (Long) row[2] });
        }
        return BucketState.of(bucketStart, base, instants);
    }

    static BucketState load(Connection c, BucketScope scope, Instant bucketStart) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM " + scope.table() + " WHERE " + scope.where()
                + " AND bucket_start = ?", Buckets::map, scope.params(bucketStart));
    }

    /** The count just before {@code instant}'s bucket: the end count of the latest earlier bucket, or 0. */
    static long countBefore(Connection c, BucketScope scope, Instant bucketStart) {
        Long count = Sql.one(c, "SELECT base + net AS count FROM " + scope.table() + " WHERE " + scope.where()
                + " AND bucket_start < ? ORDER BY bucket_start DESC LIMIT 1", rs -> rs.getLong("count"),
                scope.params(bucketStart));
        return count == null ? 0 : count;
    }

    /** Buckets of a scope in {@code [from, to)}, ascending. */
    public static List<BucketState> range(Connection c, BucketScope scope, Instant from, Instant to) {
        return Sql.query(c, "SELECT " + COLUMNS + " FROM " + scope.table() + " WHERE " + scope.where()
                + " AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start", Buckets::map,
                scope.params(from, to));
    }

    /** The latest bucket of a scope starting at or before {@code instant}, or null. */
    public static BucketState latestAtOrBefore(Connection c, BucketScope scope, Instant instant) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM " + scope.table() + " WHERE " + scope.where()
                + " AND bucket_start <= ? ORDER BY bucket_start DESC LIMIT 1", Buckets::map, scope.params(instant));
    }

    private static void save(Connection c, BucketScope scope, BucketState s) {
        String columns = (scope.isMsp() ? "msp_id, " : "msp_id, client_id, ") + COLUMNS;
        Object[] values = scope.params(s.bucketStart, s.base, s.net, s.startDelta, s.maxRel, s.maxAt, s.firstAt,
                s.lastAt, s.newcomers);
        Sql.update(c, "INSERT INTO " + scope.table() + " (" + columns + ") VALUES (" + Sql.marks(values.length)
                + ") ON DUPLICATE KEY UPDATE base = VALUES(base), net = VALUES(net),"
                + " start_delta = VALUES(start_delta), max_rel = VALUES(max_rel), max_at = VALUES(max_at),"
                + " first_at = VALUES(first_at), last_at = VALUES(last_at), newcomers = VALUES(newcomers)", values);
    }

    static BucketState map(ResultSet rs) throws SQLException {
        return new BucketState(Sql.instant(rs, "bucket_start"), rs.getLong("base"), rs.getLong("net"),
                rs.getLong("start_delta"), Sql.nullableLong(rs, "max_rel"), Sql.instant(rs, "max_at"),
                Sql.instant(rs, "first_at"), Sql.instant(rs, "last_at"), rs.getLong("newcomers"));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
