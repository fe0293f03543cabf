package io.usersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usersync.emulator.google.GoogleEmulator;
import io.usersync.emulator.google.ServiceAccount;
import io.usersync.emulator.graph.GraphEmulator;
import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.Tokens;
import io.usersync.testing.process.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark environment, shared by every benchmark of one JVM: the Graph and Google emulators in this JVM,
 * a fresh database on the test server, and the packaged service ({@code target/quarkus-app/quarkus-run.jar})
 * as its own process with a bounded heap ({@code -Dbench.heap}, default {@code 256m}), pointed at the
 * emulators. {@code -Dbench.jfr=true} records a JFR profile of the service to {@code target/bench/service.jfr}.
 * Everything is stopped (and the database dropped) when the JVM ends.
 */
final class Bench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String GOOGLE_DOMAIN = "bench.example";
    static final String GOOGLE_ADMIN = "admin@ops.bench.example";
    static final Path OUT = Path.of(System.getProperty("bench.out", "target/bench"));

    private static Bench instance;

    final GraphEmulator graph;
    final GoogleEmulator google;
    final ServiceAccount googleAccount;
    final String database;
    final ServiceProcess service;
    final int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String operatorToken = Tokens.operator();

    private Bench() throws Exception {
        System.out.printf("[bench] %s starting the environment; load %s, %d cores%n", java.time.Instant.now(),
                Machine.loadAverage(), Machine.cores());
        Files.createDirectories(OUT);
        graph = GraphEmulator.start();
        google = GoogleEmulator.start(0, GOOGLE_DOMAIN);
        google.workspace().addDomain("ops.bench.example");
        google.workspace().addAdmin(GOOGLE_ADMIN, "Bench", "Admin");
        googleAccount = ServiceAccount.generate("usersync-bench", "usersync-bench");
        google.workspace().registerKey(googleAccount);
        google.workspace().authorizeDelegation(googleAccount.clientId(), List.of(
                "https://www.googleapis.com/auth/admin.directory.user.readonly",
                "https://www.googleapis.com/auth/admin.directory.group.member.readonly"));
        Path certificate = graph.writeCertificate(OUT.resolve("graph-emulator.pem").toAbsolutePath());
        database = TestDatabaseServer.createDatabase("bench");
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + System.getProperty("bench.heap", "256m"),
                "-Dquarkus.profile=demo",
                "-Dusersync.demo.emulators.enabled=false",
                // benchmarks measure the service, not its request limits
                "-Dusersync.rate-limit.enabled=false",
                "-Dquarkus.http.port=0",
                "-Dquarkus.log.category.\"io.usersync\".level=" + System.getProperty("bench.log", "WARN"),
                "-Dusersync.sync.m365.graph-base-url=" + graph.graphBaseUrl(),
                "-Dusersync.sync.m365.authority-host=" + graph.authorityHost(),
                "-Dusersync.sync.m365.instance-discovery=false",
                "-Dusersync.sync.m365.trusted-certificate=" + certificate,
                "-Dusersync.sync.google.root-url=" + google.rootUrl(),
                "-Dusersync.sync.google.token-uri=" + google.tokenUri()));
        if (Boolean.getBoolean("bench.jfr")) {
            options.add("-XX:StartFlightRecording=filename=" + OUT.resolve("service.jfr").toAbsolutePath()
                    + ",settings=profile,dumponexit=true");
        }
        String extra = System.getProperty("bench.serviceOptions", "");
        for (String option : extra.split("\\s+")) {
            if (!option.isBlank()) {
                options.add(option);
            }
        }
        Path dir = Files.createTempDirectory("usersync-bench");
        service = ServiceProcess.start(dir, options, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password()));
        port = service.awaitPort();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "bench-stop"));
        System.out.printf("[bench] service pid %d on port %d, database %s, options %s%n", service.pid(), port,
                database, options);
    }

    static synchronized Bench get() {
        if (instance == null) {
            try {
                instance = new Bench();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the benchmark environment", e);
            }
        }
        return instance;
    }

    private void stop() {
        service.stop();
        graph.close();
        google.close();
        if (!Boolean.getBoolean("bench.keepDatabase")) {
            TestDatabaseServer.dropDatabase(database);
        }
    }

    // ---------------------------------------------------------------- sizes

    static int intProperty(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)).replace("_", ""));
    }

    // ---------------------------------------------------------------- database

    Connection db() throws SQLException {
        return TestDatabaseServer.connect(database);
    }

    long count(String sql) {
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    void execute(String... sql) {
        try (Connection c = db(); Statement s = c.createStatement()) {
            for (String each : sql) {
                s.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", sql), e);
        }
    }

    /** Waits until billing has consumed every outbox row (so the next measurement does not compete with it). */
    long awaitOutboxDrained(Duration limit) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (count("SELECT COUNT(*) FROM outbox") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("billing did not drain the outbox within " + limit);
            }
            sleep(100);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    // ---------------------------------------------------------------- HTTP

    String operator() {
        return operatorToken;
    }

    /** The service's address for a path: health and metrics are on the management interface. */
    URI uri(String path) {
        boolean management = path.startsWith("/q/health") || path.startsWith("/q/metrics");
        return URI.create("http://127.0.0.1:" + (management ? service.managementPort() : port) + path);
    }

    JsonNode call(String method, String path, String token, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(2))
                    .header("Accept", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + new String(response.body()));
            }
            return response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path, String token) {
        return call("GET", path, token, null, 200);
    }

    UUID createMsp(String name) {
        return UUID.fromString(call("POST", "/api/msps", operator(), Map.of("name", name), 201).get("id").asText());
    }

    UUID createClient(UUID msp, String name) {
        JsonNode created = call("POST", "/api/msps/" + msp + "/clients", operator(), Map.of("name", name,
                "status", "ACTIVE", "administrator", Map.of("firstName", "Ada", "lastName", "Admin",
                        "email", "admin+" + UUID.randomUUID() + "@bench-admins.example")), 201);
        return UUID.fromString(created.get("client").get("id").asText());
    }

    /** An M365 connection over all users, created disabled so only the benchmark triggers its runs. */
    String connectGraph(UUID client, String tenantId, String appId, String secret, boolean enabled) {
        return connect(client, Map.of("provider", "M365", "enabled", false, "m365", Map.of("tenantId", tenantId,
                "clientId", appId, "clientSecret", secret)), enabled);
    }

    String connectGoogle(UUID client) {
        try {
            return connect(client, Map.of("provider", "GOOGLE", "enabled", false,
                    "pool", Map.of("allUsers", true),
                    "google", Map.of("serviceAccountKey", JSON.readTree(googleAccount.keyJson()),
                            "adminSubject", GOOGLE_ADMIN, "domain", GOOGLE_DOMAIN)), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String connect(UUID client, Map<String, Object> body, boolean enable) {
        String id = call("POST", "/api/clients/" + client + "/connections", operator(), body, 201).get("id")
                .asText();
        String base = "/api/clients/" + client + "/connections/" + id;
        // a week: the scheduler leaves the connection alone, only the benchmark triggers its runs
        call("PATCH", base, operator(), Map.of("scheduleMinutes", 10080), 200);
        if (enable) {
            call("PATCH", base, operator(), Map.of("enabled", true), 200);
        }
        return id;
    }

    void enable(UUID client, String connection) {
        call("PATCH", "/api/clients/" + client + "/connections/" + connection, operator(), Map.of("enabled", true),
                200);
    }

    /** Triggers a run and waits for its end; returns the finished run. */
    JsonNode run(UUID client, String connection) {
        String runId = call("POST", "/api/clients/" + client + "/connections/" + connection + "/runs", operator(),
                Map.of(), 202).get("id").asText();
        return awaitRun(client, runId, Duration.ofMinutes(60));
    }

    JsonNode awaitRun(UUID client, String runId, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JsonNode run = get("/api/clients/" + client + "/sync-runs/" + runId, operator());
            String status = run.get("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                if (!status.equals("SUCCEEDED")) {
                    throw new IllegalStateException("run " + runId + " ended " + status + ": " + run
                            + "\n--- service output (tail) ---\n" + tail(service.output(), 4000));
                }
                return run;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not finish: " + run);
            }
            // the figure is the service's own run time; polling more often costs the service measurable CPU
            sleep(500);
        }
    }

    static String tail(String text, int chars) {
        return text.length() <= chars ? text : text.substring(text.length() - chars);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- service process

    /** Heap in use by the service now (bytes), from its Prometheus endpoint; -1 if unreadable. */
    long serviceHeapUsed() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            double total = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) total;
        } catch (Exception e) {
            return -1;
        }
    }

    /** Samples the service's heap in use every second while a measurement runs; {@link #close()} gives the max. */
    final class HeapSampler implements AutoCloseable {
        private final AtomicLong max = new AtomicLong(-1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        HeapSampler() {
            thread = Thread.ofPlatform().daemon().name("bench-heap").start(() -> {
                while (running.get()) {
                    long used = serviceHeapUsed();
                    max.accumulateAndGet(used, Math::max);
                    sleep(1000);
                }
            });
        }

        long maxBytes() {
            return max.get();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** CPU time the service process has used so far (user + system). */
    Duration serviceCpu() {
        return ProcessHandle.of(service.pid()).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }
}
