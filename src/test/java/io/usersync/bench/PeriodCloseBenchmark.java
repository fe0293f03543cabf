package io.usersync.bench;

import io.usersync.billing.api.ClientBreakdown;
import io.usersync.billing.internal.ledger.UsageReader;
import io.usersync.billing.internal.period.Periods;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue item 6: an MSP with {@code bench.events} (default 1,000,000) billable-state events in its current period.
 * The events (CLIENT_STATE for {@code bench.closeClients} clients, default 20, then USER_ACTIVE on/off
 * transitions of 50 users per 1,000 events, spread from the period start until a minute ago, seeded) are
 * bulk-loaded into the outbox with raw JDBC batches; the service's own billing consumer applies them (its
 * throughput is reported). Then:
 * <ul>
 * <li>the period-close computation, exactly what {@code InvoiceCloser.issue} reads (exact peak, users at start,
 * distinct users, per-client breakdown at the peak: {@link UsageReader#figures} and {@link UsageReader#breakdown})
 * over JDBC from this JVM, warm, 50 times; baseline: the naive exact peak, one SQL window-function sweep over the
 * MSP's stored events;</li>
 * <li>the live usage API ({@code GET /api/msps/{id}/billing/usage}) p50/p99 over 200 sequential calls.</li>
 * </ul>
 */
class PeriodCloseBenchmark {

    private final Bench bench = Bench.get();

    @AfterAll
    static void publish() {
        Results.publish();
    }

    @Test
    void periodCloseAtScale() throws Exception {
        int events = Bench.intProperty("bench.events", 1_000_000);
        int clients = Bench.intProperty("bench.closeClients", 20);
        int users = Math.max(clients, events / 20);
        UUID msp = bench.createMsp("bench period close " + UUID.randomUUID());
        bench.awaitOutboxDrained(Duration.ofMinutes(5));
        LocalDate anchor;
        try (Connection c = bench.db(); PreparedStatement s = c.prepareStatement(
                "SELECT anchor_date FROM billing_account WHERE msp_id = ?")) {
            s.setBytes(1, SyncFloor.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                anchor = rs.getObject(1, LocalDate.class);
            }
        }
        Periods periods = Periods.anchoredOn(anchor);
        Instant start = periods.start(0);
        Instant end = periods.end(0);
        Instant until = Instant.now().minusSeconds(60);

        long l0 = System.nanoTime();
        load(msp, start, until, clients, users, events);
        double loadSeconds = (System.nanoTime() - l0) / 1e9;
        Results.add("6 period close", "bulk load: " + events + " events into the outbox (raw JDBC batches)",
                loadSeconds, "s", clients + " clients, " + users + " users, period start → now");
        long drain = bench.awaitOutboxDrained(Duration.ofMinutes(60));
        Results.add("6 period close", "billing consumer: apply " + events + " events to the ledger", drain / 1000.0,
                "s", String.format(Locale.ROOT, "%,.0f events/s (batch 1,000); load %s", events / (drain / 1000.0),
                        Machine.loadAverage()));

        double[] close = new double[50];
        double[] naive = new double[5];
        long peak = 0;
        int breakdownRows = 0;
        try (Connection c = bench.db()) {
            for (int i = 0; i < 10; i++) { // warm-up
                UsageReader.Figures f = UsageReader.figures(c, msp, start, end);
                UsageReader.breakdown(c, msp, start, end, f.peak().at());
            }
            for (int i = 0; i < close.length; i++) {
                long t0 = System.nanoTime();
                c.setAutoCommit(false);
                UsageReader.Figures f = UsageReader.figures(c, msp, start, end);
                List<ClientBreakdown> breakdown = UsageReader.breakdown(c, msp, start, end, f.peak().at());
                c.commit();
                close[i] = (System.nanoTime() - t0) / 1e6;
                peak = f.peak().users();
                breakdownRows = breakdown.size();
            }
            for (int i = 0; i < naive.length; i++) {
                long t0 = System.nanoTime();
                try (PreparedStatement s = c.prepareStatement("SELECT MAX(running) FROM (SELECT SUM(CASE WHEN"
                        + " now_active THEN 1 ELSE -1 END) OVER (ORDER BY occurred_at, seq ROWS UNBOUNDED PRECEDING)"
                        + " AS running FROM billing_event WHERE msp_id = ? AND kind = 'USER_ACTIVE'"
                        + " AND occurred_at >= ? AND occurred_at < ?) x")) {
                    s.setBytes(1, SyncFloor.bytes(msp));
                    s.setTimestamp(2, Timestamp.from(start));
                    s.setTimestamp(3, Timestamp.from(end));
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                    }
                }
                naive[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(close);
        Arrays.sort(naive);
        double p50 = LiveUsageLatencyBenchmark.percentile(close, 50);
        double p99 = LiveUsageLatencyBenchmark.percentile(close, 99);
        String note = String.format(Locale.ROOT, "exact peak %d users, %d clients in the breakdown; p50 %.1f ms,"
                + " max of 50; naive sweep p50 of 5; load %s", peak, breakdownRows, p50, Machine.loadAverage());
        Results.add("6 period close", "period close (exact peak + breakdown), " + events + " events", p99, "ms",
                "naive SQL sweep", LiveUsageLatencyBenchmark.percentile(naive, 50), "≤ 200 ms", p99 <= 200, note);

        String path = "/api/msps/" + msp + "/billing/usage";
        for (int i = 0; i < 20; i++) {
            bench.get(path, bench.operator());
        }
        double[] api = new double[200];
        for (int i = 0; i < api.length; i++) {
            long t0 = System.nanoTime();
            bench.get(path, bench.operator());
            api[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(api);
        Results.add("6 period close", "usage API p99 at " + events + " events", LiveUsageLatencyBenchmark
                .percentile(api, 99), "ms", null, 0, null, null, String.format(Locale.ROOT,
                        "p50 %.1f ms over 200 sequential calls (live usage is cached per ledger version)",
                        LiveUsageLatencyBenchmark.percentile(api, 50)));
    }

    /**
     * Clients active from the period start; each user switches on and off alternately at random instants (sorted
     * per user) between the start and {@code until}, 20 events per user.
     */
    private void load(UUID msp, Instant start, Instant until, int clients, int users, int events) throws Exception {
        SplittableRandom random = new SplittableRandom(20261201L);
        byte[] mspId = SyncFloor.bytes(msp);
        UUID[] clientIds = new UUID[clients];
        try (Connection c = bench.db()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (event_id, msp_id, kind, client_id,"
                    + " user_id, occurred_at, was_active, now_active, client_status, billing_model, client_deleted,"
                    + " payment_method) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                for (int i = 0; i < clients; i++) {
                    clientIds[i] = new UUID(random.nextLong(), random.nextLong());
                    s.setBytes(1, SyncFloor.bytes(new UUID(random.nextLong(), random.nextLong())));
                    s.setBytes(2, mspId);
                    s.setString(3, "CLIENT_STATE");
                    s.setBytes(4, SyncFloor.bytes(clientIds[i]));
                    s.setBytes(5, null);
                    s.setTimestamp(6, Timestamp.from(start));
                    s.setObject(7, null);
                    s.setObject(8, null);
                    s.setString(9, "ACTIVE");
                    s.setString(10, "MONTHLY");
                    s.setBoolean(11, false);
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
                long span = Duration.between(start, until).toNanos() / 1000;
                int perUser = Math.max(1, events / users);
                int written = 0;
                for (int u = 0; u < users && written < events; u++) {
                    byte[] user = SyncFloor.bytes(new UUID(random.nextLong(), random.nextLong()));
                    byte[] client = SyncFloor.bytes(clientIds[u % clients]);
                    long[] at = new long[Math.min(perUser, events - written)];
                    for (int k = 0; k < at.length; k++) {
                        at[k] = random.nextLong(span);
                    }
                    Arrays.sort(at);
                    for (int k = 0; k < at.length; k++) {
                        boolean on = k % 2 == 0;
                        s.setBytes(1, SyncFloor.bytes(new UUID(random.nextLong(), random.nextLong())));
                        s.setBytes(2, mspId);
                        s.setString(3, "USER_ACTIVE");
                        s.setBytes(4, client);
                        s.setBytes(5, user);
                        s.setTimestamp(6, Timestamp.from(start.plusNanos(at[k] * 1000)));
                        s.setBoolean(7, !on);
                        s.setBoolean(8, on);
                        s.setString(9, null);
                        s.setString(10, null);
                        s.setObject(11, null);
                        s.addBatch();
                        if (++written % 5000 == 0) {
                            s.executeBatch();
                            c.commit();
                        }
                    }
                }
                s.executeBatch();
                c.commit();
            }
        }
        Results.add("6 period close", "synthetic tenant", users, "users", clients + " clients; "
                + LocalDate.ofInstant(start, ZoneOffset.UTC) + " → now");
    }
}
