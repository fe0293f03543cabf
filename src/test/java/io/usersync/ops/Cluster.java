package io.usersync.ops;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.usersync.emulator.graph.GraphEmulator;
import io.usersync.emulator.graph.GraphTenant;
import io.usersync.emulator.graph.GraphUser;
import io.usersync.platform.DevTokens;
import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicas of the packaged service as production runs them (profile {@code prod}, a key pair of their own,
 * credential keys from the environment, one shared database), each a separate JVM, with the Graph emulator in
 * this JVM as their Microsoft 365. Lease and billing timings are shortened through the real configuration keys
 * ({@code usersync.sync.worker.*}, {@code usersync.billing.*}) so takeovers and invoices happen within seconds.
 */
final class Cluster implements AutoCloseable {

    static final String ISSUER = "https://login.example.com/ops-it";
    static final String GRAPH_SECRET = "ops-secret-" + UUID.randomUUID();
    static final Duration LEASE = Duration.ofSeconds(4);

    final String database;
    final GraphEmulator graph;
    private final Path dir;
    private final Path publicKey;
    private final Path certificate;
    private final KeyPair keys;
    private final String cryptoKeys;
    private final List<Instance> instances = new ArrayList<>();

    /** The cluster of the running test class, for failure details. */
    private static volatile Cluster current;

    Cluster() throws Exception {
        current = this;
        database = TestDatabaseServer.createDatabase("ops");
        dir = Files.createTempDirectory("usersync-ops");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        publicKey = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        cryptoKeys = "k1:" + Base64.getEncoder().encodeToString(key);
        graph = GraphEmulator.start();
        certificate = graph.writeCertificate(dir.resolve("graph.pem"));
    }

    /** The database server's host and port, for a proxy in front of it. */
    static URI serverAddress() {
        return URI.create(TestDatabaseServer.serverUrl().substring("jdbc:".length()));
    }

    String directJdbcUrl() {
        return TestDatabaseServer.jdbcUrl(database);
    }

    String jdbcUrlVia(TcpProxy proxy) {
        return "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + database;
    }

    /** Starts a replica (does not wait for it). */
    Instance start(String name, String jdbcUrl, Map<String, String> settings) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.profile", "prod");
        props.put("quarkus.http.port", "0");
        props.put("quarkus.log.console.json.enabled", "false");
        props.put("mp.jwt.verify.publickey.location", publicKey.toString());
        props.put("mp.jwt.verify.audiences", io.usersync.platform.DevTokens.DEV_AUDIENCE);
        props.put("usersync.sync.worker.instance-id", name);
        props.put("usersync.sync.worker.poll-interval", "300ms");
        props.put("usersync.sync.worker.lease-duration", LEASE.toSeconds() + "s");
        props.put("usersync.sync.worker.lease-renewal", "1s");
        props.put("usersync.sync.worker.shutdown-drain", "5s");
        props.put("quarkus.shutdown.timeout", "5S");
        props.put("usersync.sync.m365.graph-base-url", graph.graphBaseUrl());
        props.put("usersync.sync.m365.authority-host", graph.authorityHost());
        props.put("usersync.sync.m365.instance-discovery", "false");
        props.put("usersync.sync.m365.trusted-certificate", certificate.toString());
        props.put("usersync.sync.m365.retry-base-delay", "50ms");
        props.put("usersync.sync.m365.retry-max-delay", "500ms");
        props.put("usersync.billing.consumer.poll-interval", "100ms");
        props.put("usersync.billing.close.interval", "1s");
        props.put("usersync.billing.close.grace", "2s");
        props.putAll(settings);
        List<String> options = new ArrayList<>(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
        props.forEach((k, v) -> options.add("-D" + k + "=" + v));
        Path work = Files.createDirectories(dir.resolve(name + "-" + System.nanoTime()));
        ServiceProcess process = ServiceProcess.start(work, options, Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password(),
                "USERSYNC_CRYPTO_ACTIVE_KEY_ID", "k1",
                "USERSYNC_CRYPTO_KEYS", cryptoKeys,
                "MP_JWT_VERIFY_ISSUER", ISSUER));
        Instance instance = new Instance(name, process);
        instances.add(instance);
        return instance;
    }

    String operatorToken() {
        return DevTokens.mint(keys.getPrivate(), ISSUER, "ops-it", "operator", null, null, Duration.ofHours(2));
    }

    // ---------------------------------------------------------------- fixtures through the API

    /** An MSP with one ACTIVE monthly client; returns [msp, client]. */
    UUID[] tenant(Instance via, String name) {
        UUID msp = UUID.fromString(via.api(operatorToken()).body(Map.of("name", name)).post("/api/msps").then()
                .statusCode(201).extract().path("id"));
        UUID client = UUID.fromString(via.api(operatorToken()).body(Map.of("name", name + " client", "status",
                "ACTIVE", "administrator", Map.of("firstName", "Ada", "lastName", "Admin", "email",
                        "admin+" + UUID.randomUUID() + "@example.com"))).post("/api/msps/" + msp + "/clients").then()
                .statusCode(201).extract().path("client.id"));
        return new UUID[] { msp, client };
    }

    /** An emulated M365 tenant with {@code users} members, pages of {@code pageSize}. */
    GraphTenant directory(String appClientId, int users, int pageSize) {
        String tenantId = UUID.randomUUID().toString();
        GraphTenant tenant = graph.createTenant(tenantId, "t" + tenantId.substring(0, 8) + ".onmicrosoft.com");
        tenant.registerSecretApp(appClientId, GRAPH_SECRET);
        for (int i = 0; i < users; i++) {
            tenant.addUser(GraphUser.member("u" + i + "@" + tenant.domain(), "User", "Number" + i));
        }
        tenant.maxPageSize(pageSize);
        return tenant;
    }

    /** Each page's next request is throttled once for a second: a read of n pages lasts about n seconds. */
    static void slowDown(GraphTenant tenant, int pages) {
        tenant.clearFaults();
        for (int page = 1; page <= pages; page++) {
            tenant.throttleOnceAtPage(page, 1);
        }
    }

    /** Connects the client to the tenant; returns the connection id. */
    UUID connect(Instance via, UUID client, GraphTenant tenant, String appClientId, boolean enabled) {
        Map<String, Object> body = new HashMap<>(Map.of("provider", "M365", "enabled", enabled, "scheduleMinutes",
                10080, "m365", Map.of("tenantId", tenant.tenantId(), "clientId", appClientId, "clientSecret",
                        GRAPH_SECRET)));
        return UUID.fromString(via.api(operatorToken()).body(body).post("/api/clients/" + client + "/connections")
                .then().statusCode(201).extract().path("id"));
    }

    /** Enables a connection created disabled; its schedule (a week) makes it due only then, not now. */
    void enable(Instance via, UUID client, UUID connection) {
        via.api(operatorToken()).body(Map.of("enabled", true, "scheduleMinutes", 10080)).patch("/api/clients/" + client + "/connections/"
                + connection).then().statusCode(200);
    }

    String trigger(Instance via, UUID client, UUID connection) {
        return via.api(operatorToken()).body(Map.of()).post("/api/clients/" + client + "/connections/" + connection
                + "/runs").then().statusCode(202).extract().path("id");
    }

    JsonPath run(Instance via, UUID client, String runId) {
        return via.api(operatorToken()).get("/api/clients/" + client + "/sync-runs/" + runId).then().statusCode(200)
                .extract().jsonPath();
    }

    // ---------------------------------------------------------------- the database, as the replicas share it

    Connection db() throws SQLException {
        return TestDatabaseServer.connect(database);
    }

    long count(String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = query(sql, params);
        return ((Number) rows.getFirst().values().iterator().next()).longValue();
    }

    List<Map<String, Object>> query(String sql, Object... params) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                s.setObject(i + 1, p instanceof UUID u ? bytes(u) : p);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        Object value = rs.getObject(i);
                        row.put(rs.getMetaData().getColumnLabel(i), value instanceof byte[] b && b.length == 16
                                ? uuid(b) : value);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    int update(String sql, Object... params) throws SQLException {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                s.setObject(i + 1, p instanceof UUID u ? bytes(u) : p);
            }
            return s.executeUpdate();
        }
    }

    static byte[] bytes(UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
    }

    static UUID uuid(byte[] b) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /**
     * Waits for a condition that the system under test must reach; fails with {@code what} after a generous
     * allowance (an upper bound against hanging, not a timing assertion).
     */
    static void await(String what, BooleanSupplier condition) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("gave up waiting: " + what + details());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String details() {
        Cluster c = current;
        if (c == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("\nsync runs:\n");
        try {
            for (Map<String, Object> run : c.query("SELECT connection_id, owner, run_trigger, status, phase, pages,"
                    + " applied_changes, error_kind, error_message, held_reason FROM sync_run ORDER BY requested_at")) {
                out.append("  ").append(run).append('\n');
            }
            out.append("leases: ").append(c.query("SELECT id, lease_owner, lease_expires_at, next_due_at"
                    + " FROM directory_connection")).append('\n');
        } catch (Exception e) {
            out.append("(database not readable: ").append(e.getMessage()).append(")\n");
        }
        return out.append(c.output()).toString();
    }

    /** {@link #await} for a condition that reads the database. */
    interface SqlCondition {
        boolean test() throws Exception;
    }

    static void awaitSql(String what, SqlCondition condition) {
        await(what, () -> {
            try {
                return condition.test();
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** What the replicas printed, for failure messages. */
    String output() {
        StringBuilder out = new StringBuilder();
        for (Instance i : instances) {
            String text = i.process.output();
            out.append("----- ").append(i.name).append(" -----\n")
                    .append(text.length() > 20000 ? text.substring(text.length() - 20000) : text);
        }
        return out.toString();
    }

    @Override
    public void close() {
        for (Instance i : instances) {
            i.process.close();
            try {
                // kept for post-mortems: target/ops-logs/<replica>.log
                Path logs = Files.createDirectories(Path.of("target/ops-logs"));
                Files.writeString(logs.resolve(i.name + "-" + i.process.pid() + ".log"), i.process.output());
            } catch (IOException e) {
                // best effort
            }
        }
        graph.close();
        TestDatabaseServer.dropDatabase(database);
    }

    /** One replica. */
    static final class Instance {
        final String name;
        final ServiceProcess process;
        private int port = -1;

        Instance(String name, ServiceProcess process) {
            this.name = name;
            this.process = process;
        }

        Instance awaitStarted() throws InterruptedException {
            port = process.awaitPort();
            return this;
        }

        int port() {
            return port;
        }

        RequestSpecification api(String token) {
            return RestAssured.given().port(port).auth().oauth2(token).contentType(ContentType.JSON)
                    .accept(ContentType.JSON);
        }

        /** Health and metrics answer on the management interface, not on the API port. */
        int managementPort() {
            return process.managementPort();
        }

        int readiness() {
            return RestAssured.given().port(managementPort()).get("/q/health/ready").statusCode();
        }

        String health() {
            return RestAssured.given().port(managementPort()).get("/q/health/ready").asString();
        }

        String metrics() {
            return RestAssured.given().port(managementPort()).accept("text/plain").get("/q/metrics").then()
                    .statusCode(200).extract().asString();
        }

        /** Sum of a Prometheus series over all its label sets matching {@code labels} (e.g. {@code status="X"}). */
        double metric(String name, String labels) {
            double sum = 0;
            Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+([-+0-9.eE]+|NaN)$",
                    Pattern.MULTILINE);
            Matcher m = line.matcher(metrics());
            while (m.find()) {
                String set = m.group(1) == null ? "" : m.group(1);
                if (labels == null || set.contains(labels)) {
                    sum += Double.parseDouble(m.group(2));
                }
            }
            return sum;
        }

        /** kill -9: no shutdown hook, no lease release, connections dropped mid-transaction. */
        void kill() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(process.pid()).ifPresent(h -> h.onExit().join());
        }

        /** SIGTERM and wait; returns the exit code. */
        int terminate() {
            return process.stop();
        }

        boolean alive() {
            return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
