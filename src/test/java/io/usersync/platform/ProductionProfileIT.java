package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.Tokens;
import io.usersync.testing.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production profile, launched like production launches it (the packaged jar, profile {@code prod}, a
 * configured database): it refuses to start with the development key, whose private half is public, and
 * with a key of its own it starts and refuses tokens signed with the development key.
 */
class ProductionProfileIT {

    static final String ISSUER = "https://login.example.com/";
    static final String AUDIENCE = io.usersync.platform.DevTokens.DEV_AUDIENCE;
    static String database;

    @BeforeAll
    static void database() {
        database = TestDatabaseServer.createDatabase("prod");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabaseServer.dropDatabase(database);
    }

    static Map<String, String> productionEnvironment() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password(),
                "USERSYNC_CRYPTO_ACTIVE_KEY_ID", "k1",
                "USERSYNC_CRYPTO_KEYS", "k1:" + Base64.getEncoder().encodeToString(key),
                "MP_JWT_VERIFY_ISSUER", ISSUER,
                "MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
    }

    @Test
    void refusesToStartWithTheDevelopmentKey(@TempDir Path dir) throws Exception {
        for (String location : List.of("dev-keys/jwt-dev-public.pem", copyOfDevKey(dir).toString())) {
            try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Dquarkus.profile=prod",
                    "-Dquarkus.http.port=0", "-Dmp.jwt.verify.publickey.location=" + location),
                    productionEnvironment())) {
                Optional<Integer> exit = service.awaitExit();
                assertTrue(exit.isPresent(), "the service must not run with the dev key:\n" + service.output());
                assertNotEquals(0, exit.get());
                assertTrue(service.output().contains("public development key"), service.output());
            }
        }
    }

    @Test
    void startsWithItsOwnKeyAndRefusesDevelopmentTokens(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair own = generator.generateKeyPair();
        Path pem = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(own.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Dquarkus.profile=prod",
                "-Dquarkus.http.port=0", "-Dmp.jwt.verify.publickey.location=" + pem), productionEnvironment())) {
            int port = service.awaitPort();
            RestAssured.given().port(port).get("/q/health/ready").then().statusCode(200);
            assertTrue(service.output().contains("no payment processor is configured"),
                    "production charges nobody by default and says so:\n" + service.output());
            String devSigned = io.usersync.platform.DevTokens.mint(Tokens.devKey(), ISSUER, "intruder", "operator",
                    null, null, Duration.ofHours(1));
            RestAssured.given().port(port).auth().oauth2(devSigned).get("/api/msps").then().statusCode(401)
                    .contentType("application/problem+json");
            String ownSigned = io.usersync.platform.DevTokens.mint(own.getPrivate(), ISSUER, "ops", "operator",
                    null, null, Duration.ofHours(1));
            RestAssured.given().port(port).auth().oauth2(ownSigned).get("/api/msps").then().statusCode(200);
            int exit = service.stop();
            assertTrue(exit == 0 || exit == 143, "graceful stop, exit " + exit);
            assertEquals(List.of(), service.survivors());
        }
    }

    @Test
    void refusesTheRecordingPaymentFake(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path pem = Files.writeString(dir.resolve("jwt.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Dquarkus.profile=prod",
                "-Dquarkus.http.port=0", "-Dmp.jwt.verify.publickey.location=" + pem,
                "-Dusersync.billing.payment.gateway=recording"), productionEnvironment())) {
            Optional<Integer> exit = service.awaitExit();
            assertTrue(exit.isPresent(), "the service must not run with the payment fake:\n" + service.output());
            assertNotEquals(0, exit.get());
            assertTrue(service.output().contains("selects the test fake"), service.output());
        }
    }

    private static Path copyOfDevKey(Path dir) throws Exception {
        try (var in = ProductionProfileIT.class.getClassLoader().getResourceAsStream("dev-keys/jwt-dev-public.pem")) {
            return Files.write(dir.resolve("innocent-looking.pem"), in.readAllBytes());
        }
    }
}
