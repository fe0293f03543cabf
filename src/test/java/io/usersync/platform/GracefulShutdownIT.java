package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.process.ServiceProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the packaged jar in the production profile. Idle, but with a client whose upload stopped half-way
 * (what a replica looks like after being probed from outside): it stops well before the 25 s shutdown timeout
 * and logs no ERROR. Busy with an upload that keeps arriving: the request is drained (answered 201) before the
 * replica stops, again with no ERROR.
 */
class GracefulShutdownIT {

    static String database;

    @BeforeAll
    static void database() {
        database = TestDatabaseServer.createDatabase("shutdown");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabaseServer.dropDatabase(database);
    }

    record Service(ServiceProcess process, int port, String token, Path log) {
        /** The service's log file, complete once it has exited (the console pipe may lose its last lines). */
        String logged() throws java.io.IOException {
            return Files.exists(log) ? Files.readString(log) : "";
        }
    }

    static Service start(Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair own = generator.generateKeyPair();
        Path pem = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(own.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Map<String, String> env = new java.util.HashMap<>(ProductionProfileIT.productionEnvironment());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database));
        Path log = dir.resolve("service.log");
        ServiceProcess process = ServiceProcess.start(dir, List.of("-Dquarkus.profile=prod", "-Dquarkus.http.port=0",
                "-Dmp.jwt.verify.publickey.location=" + pem, "-Dquarkus.log.file.enabled=true",
                "-Dquarkus.log.file.path=" + log), env);
        int port = process.awaitPort();
        String token = DevTokens.mint(own.getPrivate(), ProductionProfileIT.ISSUER, "ops", "operator", null, null,
                Duration.ofHours(1));
        return new Service(process, port, token, log);
    }

    /** Headers of an authenticated POST /api/msps announcing a body of the given length. */
    static byte[] head(Service service, int length) {
        return ("POST /api/msps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + service.token()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP/1.1 response with a Content-Length, read without waiting for the connection to close. */
    static String readResponse(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int headEnd = -1;
        int length = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
                headEnd = bytes.size();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (headEnd >= 0 && bytes.size() >= headEnd + length) {
                return text;
            }
        }
    }

    @Test
    void anIdleReplicaWithAStalledUploadStopsWellBeforeTheTimeoutWithoutErrors(@TempDir Path dir) throws Exception {
        Service service = start(dir);
        try (ServiceProcess process = service.process(); Socket stalled = new Socket("127.0.0.1", service.port())) {
            OutputStream out = stalled.getOutputStream();
            out.write(head(service, 1000));
            out.write("{\"na".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(1000); // the request is in the service, waiting for the rest of its body
            long start = System.nanoTime();
            int exit = process.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String output = service.logged();
            assertTrue(output.contains("stopped in"), "the log is complete:\n" + output);
            assertTrue(exit == 0 || exit == 143, "graceful stop, exit " + exit + "\n" + output);
            assertFalse(output.contains("Timed out waiting for graceful shutdown"), output);
            assertFalse(output.contains("ERROR"), "no ERROR on a normal stop:\n" + output);
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "stopped after " + took + ", the shutdown "
                    + "timeout is 25 s:\n" + output);
        }
    }

    @Test
    void aBusyReplicaDrainsTheRequestBeingUploadedThenStops(@TempDir Path dir) throws Exception {
        Service service = start(dir);
        // 400 bytes, 20 every 200 ms: the upload goes on for 3 s after the stop is asked for at byte 100
        byte[] body = ("{\"name\":\"drained\"}" + " ".repeat(382)).getBytes(StandardCharsets.US_ASCII);
        try (ServiceProcess process = service.process(); Socket upload = new Socket("127.0.0.1", service.port())) {
            io.restassured.RestAssured.given().port(service.process().managementPort()).get("/q/health/ready").then()
                    .statusCode(200);
            upload.setSoTimeout(30_000);
            OutputStream out = upload.getOutputStream();
            out.write(head(service, body.length));
            out.flush();
            CompletableFuture<Integer> stopped = null;
            // the body keeps arriving, 20 bytes every 200 ms; the replica is told to stop half-way
            for (int i = 0; i < body.length; i += 20) {
                try {
                    out.write(body, i, 20);
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new AssertionError("the upload in flight was cut after " + i + " bytes:\n"
                            + process.output(), e);
                }
                if (i == 100) {
                    stopped = CompletableFuture.supplyAsync(process::stop);
                }
                Thread.sleep(200);
            }
            InputStream in = upload.getInputStream();
            String answer = readResponse(in);
            long start = System.nanoTime();
            int exit = stopped.get(60, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String output = service.logged();
            assertTrue(output.contains("stopped in"), "the log is complete:\n" + output);
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "stopped " + took + " after the answer:\n" + output);
            assertTrue(output.contains("Waiting for HTTP requests to complete"), "the stop drained:\n" + output);
            assertTrue(answer.startsWith("HTTP/1.1 201"), "the request in flight was answered:\n" + answer + "\n"
                    + output);
            assertTrue(answer.contains("\"name\":\"drained\""), answer);
            assertTrue(exit == 0 || exit == 143, "graceful stop, exit " + exit);
            assertFalse(output.contains("ERROR"), "no ERROR on a normal stop:\n" + output);
            assertEquals(List.of(), process.survivors());
        }
    }
}
