package io.usersync.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.platform.DevTokens;
import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.Tokens;
import io.usersync.testing.process.ServiceProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request limits of the packaged service, with small limits and clients on distinct loopback addresses
 * (127.0.0.2, .3, .4: each its own client address): a burst of bad tokens gets a few 401s and then 429
 * problem+json with Retry-After, also for good credentials from that address, until the bucket refills; one
 * caller is limited without limiting another caller at the same address; one address is limited whoever calls;
 * health and metrics (management port) are never limited.
 */
class RateLimitIT {

    static final int FAILED = 20;
    static final int PER_CALLER = 40;
    static final int PER_ADDRESS = 120;
    static String database;

    @BeforeAll
    static void database() {
        database = TestDatabaseServer.createDatabase("ratelimit");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabaseServer.dropDatabase(database);
    }

    record Answer(int status, String contentType, String retryAfter, String body) {
    }

    /** One HTTP/1.1 request from a given local (client) address, on its own connection. */
    static Answer send(String from, int port, String path, String token) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String head = raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n")));
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, header(head, "content-type"), header(head, "retry-after"),
                    raw.substring(Math.min(raw.length(), head.length() + 4)));
        }
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** A burst gets the bucket's capacity, plus what refilled (capacity per minute) while it lasted. */
    static void assertBurst(int capacity, int served, long startNanos) {
        double minutes = (System.nanoTime() - startNanos) / 60e9;
        long refilled = (long) Math.ceil(minutes * capacity) + 1;
        assertTrue(served >= capacity && served <= capacity + refilled, served + " served, capacity " + capacity
                + " plus " + refilled + " refilled");
    }

    static void assertRateLimited(Answer answer) {
        assertEquals(429, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
        assertTrue(answer.body().contains("\"code\":\"rate-limited\""), answer.body());
        assertTrue(Long.parseLong(answer.retryAfter()) >= 1, answer.retryAfter());
    }

    @Test
    void limitsBadCredentialsCallersAndAddressesButNeverHealth(@TempDir Path dir) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Dquarkus.profile=demo",
                "-Dusersync.demo.emulators.enabled=false", "-Dquarkus.http.port=0", "-Dquarkus.http.host=0.0.0.0",
                "-Dusersync.rate-limit.failed-authentication-requests=" + FAILED,
                "-Dusersync.rate-limit.failed-authentication-period=20s",
                "-Dusersync.rate-limit.per-caller-requests=" + PER_CALLER,
                "-Dusersync.rate-limit.per-address-requests=" + PER_ADDRESS), Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                        "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                        "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password()))) {
            int port = service.awaitPort();
            String operator = Tokens.operator();

            // 300 bad tokens in a burst from one address: a few 401s, the rest 429 with Retry-After
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Answer>> burst = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String bad = i % 2 == 0 ? "not.a.jwt" : Tokens.forgedOperator();
                burst.add(pool.submit(() -> send("127.0.0.2", port, "/api/msps", bad)));
            }
            int unauthorized = 0;
            int limited = 0;
            for (Future<Answer> answer : burst) {
                Answer a = answer.get();
                if (a.status() == 401) {
                    unauthorized++;
                } else {
                    assertRateLimited(a);
                    limited++;
                }
            }
            pool.shutdown();
            assertTrue(unauthorized >= FAILED && unauthorized <= FAILED + 8, unauthorized + " answers 401");
            assertEquals(300, unauthorized + limited);
            // while the address is blocked, good credentials from it wait too; health and metrics never
            Answer blocked = send("127.0.0.2", port, "/api/msps", operator);
            assertRateLimited(blocked);
            int management = service.managementPort();
            for (int i = 0; i < 200; i++) {
                assertEquals(200, send("127.0.0.2", management, "/q/health/ready", null).status());
            }
            assertEquals(200, send("127.0.0.2", management, "/q/metrics", null).status());
            // other addresses are not affected
            assertEquals(200, send("127.0.0.3", port, "/api/msps", operator).status());

            // per caller: one caller is limited, another caller at the same address is not
            String mspAdmin = DevTokens.mint(Tokens.devKey(), "another-caller", "operator", null, null,
                    Duration.ofHours(1));
            long start = System.nanoTime();
            int served = 1; // the request above
            Answer answer;
            while ((answer = send("127.0.0.3", port, "/api/msps", operator)).status() == 200 && served < 200) {
                served++;
            }
            assertRateLimited(answer);
            assertBurst(PER_CALLER, served, start);
            assertEquals(200, send("127.0.0.3", port, "/api/msps", mspAdmin).status());

            // per address: many callers, one address
            start = System.nanoTime();
            int allowed = 0;
            Answer last;
            while ((last = send("127.0.0.4", port, "/api/msps", DevTokens.mint(Tokens.devKey(), "caller-" + allowed,
                    "operator", null, null, Duration.ofHours(1)))).status() == 200 && allowed < 500) {
                allowed++;
            }
            assertRateLimited(last);
            assertBurst(PER_ADDRESS, allowed, start);

            // the failed-authentication bucket refills: after Retry-After the address is served again
            Answer refused;
            int failures = 0;
            while ((refused = send("127.0.0.5", port, "/api/msps", "not.a.jwt")).status() == 401 && failures < 100) {
                failures++;
            }
            assertRateLimited(refused);
            long retryAfter = Long.parseLong(refused.retryAfter());
            assertTrue(retryAfter <= 2, "20 per 20 s: one request back within a second or two, not " + retryAfter);
            String fresh = DevTokens.mint(Tokens.devKey(), "fresh-caller", "operator", null, null, Duration.ofHours(1));
            assertRateLimited(send("127.0.0.5", port, "/api/msps", fresh));
            Thread.sleep(retryAfter * 1000 + 200);
            assertEquals(200, send("127.0.0.5", port, "/api/msps", fresh).status());
        }
    }
}
