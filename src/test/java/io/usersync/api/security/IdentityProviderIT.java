package io.usersync.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.usersync.testing.TestDatabaseServer;
import io.usersync.testing.process.ServiceProcess;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production replica verifying tokens of a real-shaped identity provider: a Keycloak-like realm whose JWKS is
 * served over real HTTP on 127.0.0.1 by this test, tokens in Keycloak's layout (roles in
 * {@code realm_access.roles} with a {@code usersync-} prefix, the MSP id in a user-attribute claim), configured
 * only through the settings docs/identity.md documents. The realm rotates its signing key while the replica runs:
 * a token signed with the new key (a key id the replica has not seen) is accepted after one fetch of the JWKS;
 * tokens of known keys cost no fetch; tokens with an unknown key id are refused without hammering the IdP.
 */
class IdentityProviderIT {

    static String database;

    @BeforeAll
    static void database() {
        database = TestDatabaseServer.createDatabase("idp");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabaseServer.dropDatabase(database);
    }

    /** A JWK of an RSA public key. */
    static Map<String, String> jwk(String kid, KeyPair pair) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return Map.of("kty", "RSA", "kid", kid, "use", "sig", "alg", "RS256", "n", b64(key.getModulus()), "e",
                b64(key.getPublicExponent()));
    }

    static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    @Test
    void verifiesKeycloakTokensThroughTheRealmsJwksAndFollowsAKeyRotation(@TempDir Path dir) throws Exception {
        KeyPair first = rsa();
        KeyPair second = rsa();
        KeyPair stranger = rsa();
        AtomicReference<List<Map<String, String>>> published = new AtomicReference<>(List.of(jwk("key-1", first)));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/realms/acme/protocol/openid-connect/certs", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsBytes(Map.of("keys", published.get()));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        idp.start();
        String realm = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/acme";
        Map<String, String> env = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password(),
                "USERSYNC_CRYPTO_ACTIVE_KEY_ID", "k1",
                "USERSYNC_CRYPTO_KEYS", "k1:" + Base64.getEncoder().encodeToString(new byte[32]),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", realm + "/protocol/openid-connect/certs",
                "MP_JWT_VERIFY_ISSUER", realm,
                "MP_JWT_VERIFY_AUDIENCES", "usersync"));
        env.putAll(Map.of("USERSYNC_AUTH_CLAIMS_ROLES", "realm_access/roles",
                "USERSYNC_AUTH_CLAIMS_ROLE_PREFIX", "usersync-",
                "USERSYNC_AUTH_CLAIMS_MSP_ID", "usersync_msp"));
        try (ServiceProcess service = ServiceProcess.start(dir, List.of("-Dquarkus.profile=prod",
                "-Dquarkus.http.port=0"), env)) {
            int port = service.awaitPort();
            String operator = token(realm, "key-1", first, List.of("offline_access", "usersync-operator"), null);
            String msp = call(port, operator).body("{\"name\":\"Realm MSP\"}").post("/api/msps").then()
                    .statusCode(201).extract().path("id");
            for (int i = 0; i < 5; i++) {
                call(port, operator).get("/api/msps").then().statusCode(200);
            }
            assertEquals(1, fetches.get(), "the JWKS is fetched once and cached");

            // tenant ids and roles come from the mapped claims; an unprefixed role is no usersync role
            String mspAdmin = token(realm, "key-1", first, List.of("usersync-msp-admin"), msp);
            call(port, mspAdmin).get("/api/msps/" + msp).then().statusCode(200);
            call(port, token(realm, "key-1", first, List.of("operator"), null)).get("/api/msps").then()
                    .statusCode(403).contentType("application/problem+json");
            call(port, token(realm, "key-1", first, List.of("usersync-msp-admin"), null)).get("/api/msps/" + msp)
                    .then().statusCode(401);

            // the realm rotates: the new key is published and signs from now on
            published.set(List.of(jwk("key-2", second), jwk("key-1", first)));
            String rotated = token(realm, "key-2", second, List.of("usersync-operator"), null);
            call(port, rotated).get("/api/msps/" + msp).then().statusCode(200);
            assertEquals(2, fetches.get(), "the unknown key id was fetched once");
            call(port, rotated).get("/api/msps").then().statusCode(200);
            call(port, operator).get("/api/msps").then().statusCode(200);
            assertEquals(2, fetches.get(), "both keys are cached");

            // a key id the realm never published: refused, and repeated attempts do not refetch every time
            List<Integer> strangers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                strangers.add(call(port, token(realm, "key-" + (9 + i), stranger, List.of("usersync-operator"),
                        null)).get("/api/msps").statusCode());
            }
            assertEquals(List.of(401, 401, 401, 401, 401), strangers);
            assertTrue(fetches.get() <= 3, "forced refreshes are rate-limited: " + fetches.get() + " fetches");
            // signed by a stranger but claiming a published key id
            call(port, token(realm, "key-2", stranger, List.of("usersync-operator"), null)).get("/api/msps").then()
                    .statusCode(401);
            // another realm's tokens (issuer) and another client's tokens (audience) stay out
            call(port, Jwt.issuer(realm + "-evil").subject("u").audience("usersync")
                    .claim("realm_access", Map.of("roles", List.of("usersync-operator"))).expiresIn(300).jws()
                    .keyId("key-2").sign(second.getPrivate())).get("/api/msps").then().statusCode(401);
            call(port, Jwt.issuer(realm).subject("u").audience("account")
                    .claim("realm_access", Map.of("roles", List.of("usersync-operator"))).expiresIn(300).jws()
                    .keyId("key-2").sign(second.getPrivate())).get("/api/msps").then().statusCode(401);
        } finally {
            idp.stop(0);
        }
    }

    /** An access token in Keycloak's layout. */
    static String token(String realm, String kid, KeyPair key, List<String> roles, String msp) {
        var claims = Jwt.issuer(realm).subject("f1b2c3d4-user").audience("usersync").claim("azp", "usersync-cli")
                .claim("typ", "Bearer").claim("preferred_username", "ada")
                .claim("realm_access", Map.of("roles", roles)).expiresIn(Duration.ofMinutes(5));
        if (msp != null) {
            claims.claim("usersync_msp", msp);
        }
        return claims.jws().keyId(kid).sign(key.getPrivate());
    }

    static RequestSpecification call(int port, String token) {
        return RestAssured.given().port(port).header("Authorization", "Bearer " + token)
                .contentType("application/json").accept("application/json")
                .config(RestAssured.config().encoderConfig(RestAssured.config().getEncoderConfig()
                        .defaultContentCharset(StandardCharsets.UTF_8)));
    }
}
