package io.usersync.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.usersync.testing.Api;
import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.Tokens;
import io.usersync.testing.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service (its own JVM) delivering webhooks to a receiver in this JVM: SIGKILL in the middle of
 * delivering, restart on the same database, and every event committed before the kill reaches the receiver at
 * least once (duplicates allowed, same webhook-id), none lost. Also: production refuses the loopback setting.
 */
class WebhookDeliveryIT {

    static String database;
    static Receiver receiver;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabaseServer.createDatabase("webhooks");
        receiver = new Receiver();
        dir = Files.createTempDirectory("usersync-webhooks-it");
    }

    @AfterAll
    static void tearDown() {
        if (receiver != null) {
            receiver.close();
        }
        if (database != null) {
            TestDatabaseServer.dropDatabase(database);
        }
    }

    static ServiceProcess start(String instance) throws Exception {
        Path work = Files.createDirectories(dir.resolve(instance));
        ServiceProcess process = ServiceProcess.start(work, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.profile=demo", "-Dusersync.demo.emulators.enabled=false", "-Dquarkus.http.port=0",
                "-Dusersync.webhooks.delivery.instance-id=" + instance,
                "-Dusersync.webhooks.delivery.poll-interval=200ms",
                "-Dusersync.webhooks.delivery.connect-timeout=2s",
                "-Dusersync.webhooks.delivery.timeout=5s",
                "-Dusersync.webhooks.delivery.lease-duration=12s",
                "-Dusersync.webhooks.delivery.max-concurrent-per-endpoint=4",
                "-Dusersync.sync.worker.enabled=false"), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                        "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                        "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password()));
        RestAssured.port = process.awaitPort();
        return process;
    }

    @Test
    void sigkillDuringDeliveryLosesNothing() throws Exception {
        ServiceProcess first = start("hooks-1");
        String secret;
        UUID client;
        try {
            UUID msp = Api.createMsp("kill msp");
            client = Api.createClient(msp, "kill client", Map.of())[0];
            secret = Api.as(Tokens.operator()).body(Map.of("url", receiver.url("/kill"), "eventTypes",
                    List.of("user.billable.changed"))).post("/api/msps/" + msp + "/webhooks").then().statusCode(201)
                    .extract().path("secret");
            // a slow receiver: 4 deliveries in flight at a time, ~4 per second, so most are still owed at the kill
            receiver.answer(r -> new Receiver.Answer(204, "", Map.of(), 1000));
            int events = 300;
            for (int i = 0; i < events; i++) {
                Api.createUser(client, "k" + i + "-" + UUID.randomUUID() + "@example.com", true);
            }
            await("deliveries under way", Duration.ofSeconds(60), () -> distinctIds().size() >= 40);
            ProcessHandle.of(first.pid()).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(first.pid()).ifPresent(h -> h.onExit().join());
        } finally {
            first.close();
        }
        int beforeRestart = distinctIds().size();
        assertTrue(beforeRestart < 300, "killed while deliveries were owed: " + beforeRestart);
        Set<String> committed = historyEventIds(client);
        assertEquals(301, committed.size(), "the administrator and 300 users");

        receiver.answer(r -> new Receiver.Answer(204, "", Map.of(), 0));
        ServiceProcess second = start("hooks-2");
        try {
            // the admin was created before the endpoint existed: 300 events are owed
            Set<String> owed = new HashSet<>(committed);
            owed.retainAll(messageIds());
            assertEquals(300, owed.size());
            await("every event delivered after the restart", Duration.ofSeconds(120),
                    () -> distinctIds().containsAll(owed));
            assertEquals(owed, distinctIds(), "nothing but the owed events");
            for (Receiver.Request r : receiver.requests()) {
                String timestamp = r.header("webhook-timestamp");
                assertTrue(SampleVerifier.verify(secret, r.header("webhook-id"), timestamp,
                        r.header("webhook-signature"), r.body(), Long.parseLong(timestamp)), "signed by either replica");
            }
            await("every delivery recorded as succeeded", Duration.ofSeconds(30), () -> scalar(
                    "SELECT COUNT(*) FROM webhook_delivery WHERE status = 'SUCCEEDED'") == 300);
            int duplicates = receiver.requests().size() - owed.size();
            System.out.printf("[webhooks-it] %d delivered before SIGKILL, %d requests in all, %d duplicates%n",
                    beforeRestart, receiver.requests().size(), duplicates);
            assertTrue(duplicates >= 0);
        } finally {
            second.close();
        }
    }

    @Test
    void productionRefusesLoopbackEndpoints() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path key = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder()
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        byte[] aes = new byte[32];
        new java.security.SecureRandom().nextBytes(aes);
        Path work = Files.createDirectories(dir.resolve("prod"));
        try (ServiceProcess prod = ServiceProcess.start(work, List.of("-Dquarkus.profile=prod", "-Dquarkus.http.port=0",
                "-Dmp.jwt.verify.publickey.location=" + key, "-Dmp.jwt.verify.issuer=https://login.example.com/it",
                "-Dmp.jwt.verify.audiences=usersync", "-Dusersync.webhooks.allow-loopback=true"), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                        "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                        "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password(),
                        "USERSYNC_CRYPTO_ACTIVE_KEY_ID", "k1",
                        "USERSYNC_CRYPTO_KEYS", "k1:" + Base64.getEncoder().encodeToString(aes)))) {
            Optional<Integer> exit = prod.awaitExit();
            assertTrue(exit.isPresent(), "the service must not start:\n" + prod.output());
            assertNotEquals(0, exit.get());
            assertTrue(prod.output().contains("usersync.webhooks.allow-loopback=true lets tenants send webhooks to"
                    + " this host"), prod.output());
        }
    }

    // ---------------------------------------------------------------- helpers

    static Set<String> distinctIds() {
        Set<String> ids = new HashSet<>();
        for (Receiver.Request r : receiver.requests()) {
            ids.add(r.header("webhook-id"));
        }
        return ids;
    }

    static Set<String> historyEventIds(UUID client) throws Exception {
        return strings("SELECT LOWER(CONCAT_WS('-', HEX(SUBSTR(id, 1, 4)), HEX(SUBSTR(id, 5, 2)), HEX(SUBSTR(id, 7, 2)),"
                + " HEX(SUBSTR(id, 9, 2)), HEX(SUBSTR(id, 11, 6)))) FROM user_status_event");
    }

    static Set<String> messageIds() throws Exception {
        return strings("SELECT LOWER(CONCAT_WS('-', HEX(SUBSTR(id, 1, 4)), HEX(SUBSTR(id, 5, 2)), HEX(SUBSTR(id, 7, 2)),"
                + " HEX(SUBSTR(id, 9, 2)), HEX(SUBSTR(id, 11, 6)))) FROM webhook_message");
    }

    static Set<String> strings(String sql) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = TestDatabaseServer.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long scalar(String sql) {
        try (Connection c = TestDatabaseServer.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + "; received "
                        + receiver.requests().size() + " requests, " + distinctIds().size() + " distinct");
            }
            Thread.sleep(200);
        }
    }
}
