package io.usersync.bench;

import io.usersync.emulator.graph.GraphTenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue item 4: {@code bench.tenants} (default 1,000) client accounts of one MSP, each with an M365 connection to
 * its own emulated tenant of {@code bench.tenantUsers} (default 100) seeded users, all made due at the same
 * instant; the service's background workers (default concurrency) run one full round. Figures: time from "all
 * due" to the last run's end, the slowest tenant's wait (due → its run started), against the raw floor doing
 * the same tenants one after another in this JVM (token + page + inserts per tenant).
 */
class ManyTenantsBenchmark {

    private static final String SECRET = "bench-many-secret";
    private final Bench bench = Bench.get();

    @AfterAll
    static void publish() {
        Results.publish();
    }

    record Tenant(UUID client, GraphTenant directory, String app, String connection) {
    }

    @Test
    void oneRoundOfManyTenants() throws Exception {
        int tenants = Bench.intProperty("bench.tenants", 1_000);
        int users = Bench.intProperty("bench.tenantUsers", 100);
        UUID msp = bench.createMsp("bench many tenants " + UUID.randomUUID());
        long s0 = System.nanoTime();
        List<Tenant> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Tenant>> futures = new ArrayList<>();
            for (int i = 0; i < tenants; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    String tenantId = UUID.randomUUID().toString();
                    GraphTenant directory = bench.graph.createTenant(tenantId, "many" + n + ".onmicrosoft.com");
                    directory.seedUsers(users, 1000 + n);
                    String app = UUID.randomUUID().toString();
                    directory.registerSecretApp(app, SECRET);
                    UUID client = bench.createClient(msp, "tenant " + n);
                    return new Tenant(client, directory, app, bench.connectGraph(client, tenantId, app, SECRET,
                            false));
                }));
            }
            for (Future<Tenant> f : futures) {
                all.add(f.get());
            }
        }
        double setup = (System.nanoTime() - s0) / 1e9;
        Results.add("4 many tenants", "set-up: " + tenants + " clients, connections, emulated tenants × " + users
                + " users", setup, "s", "through the API, 4 threads (not a product figure)");

        double floorSeconds;
        try (SyncFloor floor = new SyncFloor(bench)) {
            for (int i = 0; i < Math.min(20, all.size()); i++) { // warm-up
                Tenant t = all.get(i);
                floor.graph(t.directory().tenantId(), t.app(), SECRET, msp, t.client());
            }
            floor.truncate();
            long f0 = System.nanoTime();
            for (Tenant t : all) {
                floor.graph(t.directory().tenantId(), t.app(), SECRET, msp, t.client());
            }
            floorSeconds = (System.nanoTime() - f0) / 1e9;
        }

        String load = Machine.loadAverage();
        String due = "'" + java.time.LocalDateTime.ofInstant(java.time.Instant.now(), java.time.ZoneOffset.UTC)
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")) + "'";
        bench.execute("UPDATE directory_connection SET enabled = TRUE, next_due_at = " + due
                + " WHERE msp_id = UNHEX(REPLACE('" + msp + "', '-', ''))");
        String mspHex = "UNHEX(REPLACE('" + msp + "', '-', ''))";
        long deadline = System.nanoTime() + 60L * 60 * 1_000_000_000L;
        while (bench.count("SELECT COUNT(*) FROM sync_run WHERE msp_id = " + mspHex
                + " AND status NOT IN ('QUEUED', 'RUNNING')") < tenants) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the round did not finish within an hour");
            }
            Bench.sleep(500);
        }
        double round;
        double slowestWait;
        double medianRun;
        long succeeded;
        try (Connection c = bench.db(); PreparedStatement s = c.prepareStatement("SELECT"
                + " TIMESTAMPDIFF(MICROSECOND, " + due + ", MAX(finished_at)) / 1e6,"
                + " MAX(TIMESTAMPDIFF(MICROSECOND, " + due + ", started_at)) / 1e6,"
                + " SUM(status = 'SUCCEEDED') FROM sync_run WHERE msp_id = " + mspHex);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            round = rs.getDouble(1);
            slowestWait = rs.getDouble(2);
            succeeded = rs.getLong(3);
        }
        List<Double> durations = new ArrayList<>();
        try (Connection c = bench.db(); PreparedStatement s = c.prepareStatement("SELECT"
                + " TIMESTAMPDIFF(MICROSECOND, started_at, finished_at) / 1e3 FROM sync_run WHERE msp_id = " + mspHex
                + " ORDER BY 1"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                durations.add(rs.getDouble(1));
            }
        }
        medianRun = durations.isEmpty() ? Double.NaN : durations.get(durations.size() / 2);
        String note = String.format(Locale.ROOT, "%d/%d runs succeeded; median run %.0f ms; %,.0f users/s; load %s",
                succeeded, tenants, medianRun, tenants * (double) users / round, load);
        Results.add("4 many tenants", tenants + " × " + users + " users: one full round (first due → last done)",
                round, "s", "floor, sequential", floorSeconds, null, null, note);
        Results.add("4 many tenants", "slowest tenant's wait (due → run started)", slowestWait, "s", "round", round,
                "no tenant starved", succeeded == tenants, "oldest due first; default concurrency (4 runs per replica)");
    }
}
