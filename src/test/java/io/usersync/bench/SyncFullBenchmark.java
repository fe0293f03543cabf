package io.usersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.usersync.emulator.graph.GraphTenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue items 1–3: a full sync of {@code bench.users} (default 100,000) users from the emulator through the real
 * SDKs into MariaDB with history and outbox rows, against the raw floor ({@link SyncFloor}) measured just
 * before it; then a no-change resync of the same users (a full read; user-row writes counted by triggers); then
 * (Graph) a delta round with 1 % of the users changed. The service runs with {@code -Xmx256m}; its heap in use is
 * sampled during the full sync. A warm-up tenant of {@code bench.warmupUsers} (default 2,000) goes through the
 * same steps first. Run times are the service's own (run {@code startedAt} → {@code finishedAt}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncFullBenchmark {

    private static final String SECRET = "bench-secret";
    private final Bench bench = Bench.get();
    private final int users = Bench.intProperty("bench.users", 100_000);
    private final int warmup = Bench.intProperty("bench.warmupUsers", 2_000);

    @AfterAll
    static void publish() {
        Results.publish();
    }

    private record Tenant(UUID msp, UUID client, String connection) {
    }

    private Tenant graphTenant(GraphTenant directory, String name) {
        UUID msp = bench.createMsp("bench " + name + " " + UUID.randomUUID());
        UUID client = bench.createClient(msp, name);
        String appId = UUID.randomUUID().toString();
        directory.registerSecretApp(appId, SECRET);
        return new Tenant(msp, client, bench.connectGraph(client, directory.tenantId(), appId, SECRET, true));
    }

    private static double seconds(JsonNode run) {
        return run.get("durationMillis").asLong() / 1000.0;
    }

    @Test
    @Order(1)
    void graph() throws Exception {
        String label = "Graph";
        try (SyncFloor floor = new SyncFloor(bench)) {
            // warm-up: the same steps on a small tenant (JIT, connection pools, caches)
            GraphTenant small = newGraphTenant("warm");
            small.seedUsers(warmup, 7);
            Tenant warm = graphTenant(small, "warm-up graph");
            String warmApp = appOf(small);
            floor.graph(small.tenantId(), warmApp, SECRET, warm.msp(), warm.client());
            floor.truncate();
            bench.run(warm.client(), warm.connection());
            bench.awaitOutboxDrained(Duration.ofMinutes(10));
            clearDeltaToken(warm.connection());
            bench.run(warm.client(), warm.connection());
            changeOnePercent(small, warm.client());
            bench.run(warm.client(), warm.connection());

            GraphTenant directory = newGraphTenant("big");
            long t0 = System.nanoTime();
            directory.seedUsers(users, 42);
            double generate = (System.nanoTime() - t0) / 1e9;
            Results.add("1 full sync", label + " emulator: generate " + users + " users (seeded)", generate, "s",
                    "deterministic, seed 42");
            Tenant tenant = graphTenant(directory, "graph");
            String app = appOf(directory);
            measure(label, floor, () -> floor.graph(directory.tenantId(), app, SECRET, tenant.msp(), tenant.client()),
                    tenant);
            changeOnePercent(directory, tenant.client());
            JsonNode delta = bench.run(tenant.client(), tenant.connection());
            double deltaSeconds = seconds(delta);
            Results.add("3 delta 1 %", label + " delta round, " + (users / 100) + " of " + users + " changed",
                    deltaSeconds, "s", null, 0, "≤ 2 s", deltaSeconds <= 2.0, "mode " + delta.get("mode").asText()
                            + ", fetched " + delta.at("/counts/fetched").asInt() + ", updated "
                            + delta.at("/counts/updated").asInt() + ", deactivated "
                            + delta.at("/counts/deactivated").asInt());
            bench.awaitOutboxDrained(Duration.ofMinutes(10));
        }
    }

    @Test
    @Order(2)
    void google() throws Exception {
        String label = "Google";
        try (SyncFloor floor = new SyncFloor(bench)) {
            // warm-up on the first warm-up users of the workspace, then the rest are added
            bench.google.workspace().seedUsers(warmup, 7);
            Tenant warm = googleTenant("warm-up google");
            floor.google(bench.googleAccount, Bench.GOOGLE_ADMIN, Bench.GOOGLE_DOMAIN, warm.msp(), warm.client());
            floor.truncate();
            bench.run(warm.client(), warm.connection());
            bench.awaitOutboxDrained(Duration.ofMinutes(10));
            bench.run(warm.client(), warm.connection());

            long t0 = System.nanoTime();
            bench.google.workspace().seedUsers(users - warmup, 42);
            double generate = (System.nanoTime() - t0) / 1e9;
            Results.add("1 full sync", label + " emulator: generate " + (users - warmup) + " users (seeded)",
                    generate, "s", "deterministic, seed 42; plus " + warmup + " warm-up users = " + users);
            Tenant tenant = googleTenant("google");
            measure(label, floor, () -> floor.google(bench.googleAccount, Bench.GOOGLE_ADMIN, Bench.GOOGLE_DOMAIN,
                    tenant.msp(), tenant.client()), tenant);
        }
    }

    private Tenant googleTenant(String name) {
        UUID msp = bench.createMsp("bench " + name + " " + UUID.randomUUID());
        UUID client = bench.createClient(msp, name);
        return new Tenant(msp, client, bench.connectGoogle(client));
    }

    interface FloorRun {
        int run() throws Exception;
    }

    /** Floor, full sync (heap sampled), billing drain, no-change resync with user-row writes counted. */
    private void measure(String label, SyncFloor floor, FloorRun floorRun, Tenant tenant) throws Exception {
        System.gc();
        long f0 = System.nanoTime();
        int floorRows = floorRun.run();
        double floorSeconds = (System.nanoTime() - f0) / 1e9;
        floor.truncate();
        Results.add("1 full sync", label + " raw floor (HttpClient + Jackson + JDBC batch), " + floorRows + " users",
                floorSeconds, "s", String.format(Locale.ROOT, "%,.0f users/s", floorRows / floorSeconds));

        JsonNode full;
        long maxHeap;
        String load = Machine.loadAverage();
        try (Bench.HeapSampler heap = bench.new HeapSampler()) {
            full = bench.run(tenant.client(), tenant.connection());
            maxHeap = heap.maxBytes();
        }
        double fullSeconds = seconds(full);
        int created = full.at("/counts/created").asInt();
        Results.add("1 full sync", label + " full sync, " + created + " users created", fullSeconds, "s",
                "floor", floorSeconds, "≤ 1.5× floor", fullSeconds <= 1.5 * floorSeconds,
                String.format(Locale.ROOT, "%,.0f users/s; %d pages; load %s", created / fullSeconds,
                        full.at("/progress/pages").asInt(), load));
        Results.add("1 full sync", label + " full sync: service heap in use, max sampled", maxHeap / 1048576.0,
                "MiB", null, 0, "bounded (-Xmx" + System.getProperty("bench.heap", "256m") + ")", maxHeap > 0,
                "sampled every second from /q/metrics; the run completed inside the limit");
        long drain = bench.awaitOutboxDrained(Duration.ofMinutes(30));
        Results.add("1 full sync", label + " billing consumer: outbox drained after the full sync", drain / 1000.0,
                "s", "time after the run ended until every outbox row was consumed (not part of the sync figure)");

        clearDeltaToken(tenant.connection());
        installWriteCounters();
        long historyBefore = bench.count("SELECT COUNT(*) FROM user_status_event");
        JsonNode resync;
        try {
            resync = bench.run(tenant.client(), tenant.connection());
        } finally {
            bench.execute("DROP TRIGGER IF EXISTS bench_app_user_ins", "DROP TRIGGER IF EXISTS bench_app_user_upd",
                    "DROP TRIGGER IF EXISTS bench_app_user_del");
        }
        long writes = bench.count("SELECT SUM(n) FROM bench_writes");
        long history = bench.count("SELECT COUNT(*) FROM user_status_event") - historyBefore;
        double resyncSeconds = seconds(resync);
        Results.add("2 no-change resync", label + " full read of the same " + users + " users", resyncSeconds, "s",
                "full sync", fullSeconds, "≤ 0.5× full sync", resyncSeconds <= 0.5 * fullSeconds,
                "mode " + resync.get("mode").asText() + ", unchanged " + resync.at("/counts/unchanged").asInt());
        Results.add("2 no-change resync", label + " user-row writes (INSERT/UPDATE/DELETE on app_user)", writes,
                "rows", null, 0, "= 0", writes == 0, "counted by triggers; history rows written: " + history);
    }

    private void installWriteCounters() {
        bench.execute("CREATE TABLE IF NOT EXISTS bench_writes (kind VARCHAR(8) PRIMARY KEY, n BIGINT NOT NULL)",
                "DELETE FROM bench_writes",
                "INSERT INTO bench_writes VALUES ('insert', 0), ('update', 0), ('delete', 0)",
                "CREATE TRIGGER bench_app_user_ins AFTER INSERT ON app_user FOR EACH ROW"
                        + " UPDATE bench_writes SET n = n + 1 WHERE kind = 'insert'",
                "CREATE TRIGGER bench_app_user_upd AFTER UPDATE ON app_user FOR EACH ROW"
                        + " UPDATE bench_writes SET n = n + 1 WHERE kind = 'update'",
                "CREATE TRIGGER bench_app_user_del AFTER DELETE ON app_user FOR EACH ROW"
                        + " UPDATE bench_writes SET n = n + 1 WHERE kind = 'delete'");
    }

    /** Forces the next run to read the whole pool (Graph would otherwise follow its delta link). */
    private void clearDeltaToken(String connection) {
        bench.execute("UPDATE directory_connection SET delta_token = NULL WHERE id = UNHEX(REPLACE('" + connection
                + "', '-', ''))");
    }

    private final java.util.Map<String, String> apps = new java.util.HashMap<>();

    private GraphTenant newGraphTenant(String name) {
        String tenantId = UUID.randomUUID().toString();
        GraphTenant tenant = bench.graph.createTenant(tenantId, name + tenantId.substring(0, 6) + ".onmicrosoft.com");
        String app = UUID.randomUUID().toString();
        tenant.registerSecretApp(app, SECRET);
        apps.put(tenantId, app);
        return tenant;
    }

    private String appOf(GraphTenant tenant) {
        return apps.get(tenant.tenantId());
    }

    /** Renames every 200th user and disables every 200th user (offset 100): 1 % of the users change. */
    private void changeOnePercent(GraphTenant directory, UUID client) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = bench.db(); PreparedStatement s = c.prepareStatement("SELECT external_id FROM app_user"
                + " WHERE client_id = UNHEX(REPLACE(?, '-', '')) AND source = 'M365' ORDER BY external_id")) {
            s.setString(1, client.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        for (int i = 0; i < ids.size(); i += 100) {
            String id = ids.get(i);
            if ((i / 100) % 2 == 0) {
                directory.rename(id, "renamed." + i + "@" + directory.domain());
            } else {
                directory.disable(id);
            }
        }
    }
}
