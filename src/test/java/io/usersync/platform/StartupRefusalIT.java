package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in the production profile refuses to start with settings that would only fail later, and says
 * why in one line (no stack trace) that names every bad setting: crypto keys of the wrong size or with an active
 * id that names no key, a missing audience, an issuer that is no URI, a JWKS URL over plain http, durations that
 * must be positive, a body limit above its ceiling, an endpoint that is no URL.
 */
class StartupRefusalIT {

    static String database;

    @BeforeAll
    static void database() {
        database = TestDatabaseServer.createDatabase("refusal");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabaseServer.dropDatabase(database);
    }

    /** Starts with the production environment changed as given (null removes a variable); returns the one line. */
    static String refusal(Path dir, Map<String, String> changes, String... javaOptions) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path pem = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Map<String, String> env = new HashMap<>(ProductionProfileIT.productionEnvironment());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database));
        changes.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        List<String> options = new ArrayList<>(List.of("-Dquarkus.profile=prod", "-Dquarkus.http.port=0",
                "-Dmp.jwt.verify.publickey.location=" + pem));
        options.addAll(List.of(javaOptions));
        try (ServiceProcess service = ServiceProcess.start(dir, options, env)) {
            Optional<Integer> exit = service.awaitExit();
            String output = service.output();
            assertTrue(exit.isPresent(), "the service must not run with these settings:\n" + output);
            assertNotEquals(0, exit.get());
            List<String> lines = output.lines().filter(l -> l.contains("usersync refuses to start")).toList();
            assertEquals(1, lines.size(), "one line says why:\n" + output);
            assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
            assertFalse(output.contains("Listening on"), output);
            return lines.getFirst();
        }
    }

    @Test
    void refusesAFiveByteKeyAndNamesEveryOtherBadSettingInTheSameLine(@TempDir Path dir) throws Exception {
        Map<String, String> bad = new HashMap<>(Map.of(
                "USERSYNC_CRYPTO_KEYS", "k1:" + Base64.getEncoder().encodeToString(new byte[5]),
                "MP_JWT_VERIFY_ISSUER", "not a uri",
                "USERSYNC_SYNC_WORKER_POLL_INTERVAL", "0s",
                "USERSYNC_API_MAX_BODY_SIZE", "5M",
                "USERSYNC_SYNC_M365_GRAPH_BASE_URL", "ftp://graph.example.com/v1.0"));
        bad.put("MP_JWT_VERIFY_AUDIENCES", null);
        String line = refusal(dir, bad);
        for (String named : List.of("usersync.crypto", "must be 32 bytes", "mp.jwt.verify.issuer",
                "mp.jwt.verify.audiences", "usersync.sync.worker.poll-interval", "usersync.api.max-body-size",
                "usersync.sync.m365.graph-base-url")) {
            assertTrue(line.contains(named), named + " in: " + line);
        }
    }

    @Test
    void refusesAnActiveKeyIdThatNamesNoKeyAndAJwksUrlOverPlainHttp(@TempDir Path dir) throws Exception {
        String line = refusal(dir, Map.of("USERSYNC_CRYPTO_ACTIVE_KEY_ID", "k2"),
                "-Dmp.jwt.verify.publickey.location=http://idp.example.com/certs");
        assertTrue(line.contains("active-key-id names no configured key"), line);
        assertTrue(line.contains("mp.jwt.verify.publickey.location must use https"), line);
        String base64 = refusal(dir, Map.of("USERSYNC_CRYPTO_KEYS", "k1:not*base64"));
        assertTrue(base64.contains("is not base64"), base64);
    }
}
