package io.usersync.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.usersync.billing.BillingTestSupport;
import io.usersync.common.Jdbc;
import io.usersync.platform.DevTokens;
import io.usersync.testing.Tokens;
import io.usersync.testing.openapi.ExampleValues;
import io.usersync.testing.openapi.OpenApiDocument;
import io.usersync.testing.openapi.Operation;
import io.usersync.testing.openapi.Requests;
import io.usersync.testing.openapi.TenantFixture;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The tenancy matrix, driven by the live OpenAPI document so that operations added later are covered without
 * being listed here:
 * <ul>
 * <li>every operation refuses every kind of bad credentials with 401 problem+json (missing, malformed, expired,
 * forged, wrong issuer, wrong or missing audience, too long a lifetime, no iat, unsigned, key confusion, tenant
 * role without its tenant claims) and a token without a usersync role with 403;</li>
 * <li>the same for API keys: malformed, unknown, with a wrong secret, revoked and expired keys answer 401;</li>
 * <li>every operation with a path parameter, called with another tenant's ids (an MSP admin and a client admin
 * of another MSP; a client admin with a sibling client of its own MSP; and the same three with API keys instead
 * of tokens), answers 403 or 404 problem+json, never 2xx, never the other tenant's data, and changes none of
 * its rows;</li>
 * <li>the same requests sent by an operator to a tenant of its own are well-formed (they reach the business
 * rules: 2xx or a 409-style refusal), so the refusals above are the tenancy checks and nothing else.</li>
 * </ul>
 * The role rules themselves (what each role may do in its own tenant) are in {@link RoleScenariosTest}.
 */
@QuarkusTest
class TenancyMatrixTest {

    private static final Logger LOG = Logger.getLogger(TenancyMatrixTest.class);
    static final String PROBLEM = "application/problem+json";
    /** Operations this service has today; the matrix refuses to pass vacuously on a document without them. */
    static final List<String> KNOWN = List.of("POST /api/msps", "GET /api/msps/{mspId}",
            "POST /api/msps/{mspId}/clients", "GET /api/clients/{clientId}", "GET /api/clients/{clientId}/users",
            "POST /api/clients/{clientId}/users/{userId}/deactivate",
            "GET /api/clients/{clientId}/users/{userId}/history");

    @Inject
    DataSource dataSource;

    @Inject
    BillingTestSupport billing;

    static List<Operation> operations(OpenApiDocument document) {
        List<Operation> operations = document.operations();
        Set<String> keys = new HashSet<>(operations.stream().map(Operation::key).toList());
        assertTrue(keys.containsAll(KNOWN), "the OpenAPI document lacks operations: " + KNOWN);
        return operations;
    }

    @Test
    void everyOperationRefusesBadCredentialsWith401AndRolelessTokensWith403() throws Exception {
        OpenApiDocument document = OpenApiDocument.fetch();
        TenantFixture owner = TenantFixture.create("auth");
        ExampleValues examples = new ExampleValues(document, owner::id);
        Map<String, String> credentials = badCredentials(owner);
        String roleless = Requests.bearer(DevTokens.mint(Tokens.devKey(), "someone", "reader", owner.msp.toString(),
                owner.client.toString(), Duration.ofHours(1)));
        List<String> failures = new ArrayList<>();
        int requests = 0;
        List<Operation> operations = operations(document);
        for (Operation operation : operations) {
            Map<String, String> path = owner.pathValues(operation, document, new HashSet<>());
            for (Map.Entry<String, String> credential : credentials.entrySet()) {
                Response response = Requests.send(operation, credential.getValue(), path, Map.of(),
                        examples.body(operation));
                requests++;
                String problem = checkProblem(response, 401, "unauthenticated");
                if (problem == null && !response.header("WWW-Authenticate").startsWith("Bearer")) {
                    problem = "no WWW-Authenticate: Bearer";
                }
                if (problem != null) {
                    failures.add(operation.key() + " with " + credential.getKey() + ": " + problem);
                }
            }
            Response response = Requests.send(operation, roleless, path, Map.of(), examples.body(operation));
            requests++;
            String problem = checkProblem(response, 403, "forbidden");
            if (problem != null) {
                failures.add(operation.key() + " with a token without a usersync role: " + problem);
            }
        }
        LOG.infof("tenancy matrix: %d operations x %d credentials, %d requests", operations.size(),
                credentials.size() + 1, requests);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    @Test
    void everyOperationRefusesAnotherTenantsIdsLeaksNothingAndChangesNothing() throws Exception {
        OpenApiDocument document = OpenApiDocument.fetch();
        List<Operation> operations = operations(document).stream().filter(o -> !o.templateNames().isEmpty())
                .toList();
        TenantFixture victim = TenantFixture.create("victim");
        TenantFixture attacker = TenantFixture.create("attacker");
        TenantFixture sibling = attacker.sibling("sibling");
        // create every resource the operations name before taking the fingerprints
        Map<Operation, Map<String, String>> victimPaths = new LinkedHashMap<>();
        Map<Operation, Map<String, String>> siblingPaths = new LinkedHashMap<>();
        Set<String> unresolved = new TreeSet<>();
        for (Operation operation : operations) {
            victim.prepare(operation);
            sibling.prepare(operation);
            victimPaths.put(operation, victim.pathValues(operation, document, unresolved));
            siblingPaths.put(operation, sibling.pathValues(operation, document, new HashSet<>()));
        }
        billing.drain(); // billing knows the MSPs (the consumer is off in tests), so a 404 is the tenancy's answer
        victim.quiesce();
        sibling.quiesce();
        String attackerMspKey = Requests.bearer(attacker.mspKey().secret());
        String attackerClientKey = Requests.bearer(attacker.clientKey().secret());
        String victimBefore = fingerprint(victim.msp);
        String attackerBefore = fingerprint(attacker.msp, ATTACKER_BOOKKEEPING);

        Set<String> siblingMarkers = new HashSet<>(sibling.markers());
        siblingMarkers.removeAll(List.of(sibling.mspName, sibling.msp.toString()));
        record Attack(String who, String authorization, TenantFixture target, Map<Operation, Map<String, String>> paths,
                Set<String> markers) {
        }
        List<Attack> attacks = List.of(
                new Attack("msp-admin of another MSP", attacker.mspAdminToken(), victim, victimPaths,
                        victim.markers()),
                new Attack("client-admin of another MSP", attacker.clientAdminToken(), victim, victimPaths,
                        victim.markers()),
                new Attack("client-admin of a sibling client", attacker.clientAdminToken(), sibling, siblingPaths,
                        siblingMarkers),
                new Attack("API key of another MSP", attackerMspKey, victim, victimPaths, victim.markers()),
                new Attack("client API key of another MSP", attackerClientKey, victim, victimPaths,
                        victim.markers()),
                new Attack("client API key of a sibling client", attackerClientKey, sibling, siblingPaths,
                        siblingMarkers));
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Attack attack : attacks) {
            ExampleValues examples = new ExampleValues(document, attack.target()::id);
            for (Operation operation : operations) {
                String authorization = attack.authorization().startsWith("Bearer ") ? attack.authorization()
                        : Requests.bearer(attack.authorization());
                Response response = Requests.send(operation, authorization,
                        attack.paths().get(operation), Map.of(), examples.body(operation));
                requests++;
                String problem = response.statusCode() == 404 ? checkProblem(response, 404, null)
                        : response.statusCode() == 403 ? checkProblem(response, 403, null)
                        : "expected 403 or 404, got " + response.statusCode() + " " + abbreviate(response.asString());
                if (problem == null) {
                    problem = leak(response, attack.markers());
                }
                if (problem != null) {
                    failures.add(operation.key() + " by " + attack.who() + ": " + problem);
                }
            }
        }
        if (!victimBefore.equals(fingerprint(victim.msp))) {
            failures.add("the victim's rows changed");
        }
        if (!attackerBefore.equals(fingerprint(attacker.msp, ATTACKER_BOOKKEEPING))) {
            failures.add("the rows of the attacker's MSP (its sibling client) changed");
        }
        LOG.infof("tenancy matrix: %d tenant-scoped operations x %d foreign callers, %d requests; parameters "
                + "without a fixture (random ids used): %s", operations.size(), attacks.size(), requests, unresolved);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    /** The requests of the matrix, sent by an operator to a tenant of its own, reach the business rules. */
    @Test
    void theMatrixRequestsAreWellFormed() {
        OpenApiDocument document = OpenApiDocument.fetch();
        List<String> failures = new ArrayList<>();
        List<String> unproven = new ArrayList<>();
        for (Operation operation : operations(document)) {
            TenantFixture own = TenantFixture.create("control");
            Set<String> unresolved = new TreeSet<>();
            own.prepare(operation);
            Map<String, String> path = own.pathValues(operation, document, unresolved);
            if (!unresolved.isEmpty()) {
                unproven.add(operation.key() + " " + unresolved);
                continue;
            }
            billing.drain();
            Response response = Requests.send(operation, Requests.bearer(Tokens.operator()), path, Map.of(),
                    new ExampleValues(document, own::id).body(operation));
            int status = response.statusCode();
            if (status >= 500 || Set.of(400, 401, 403, 404, 405, 406, 415).contains(status)) {
                failures.add(operation.key() + " -> " + status + " " + response.asString());
            }
        }
        LOG.infof("tenancy matrix control: operations without fixtures for their ids: %s", unproven);
        assertTrue(failures.isEmpty(), "requests of the matrix do not reach the business rules (add an example "
                + "body in ExampleValues or a fixture in TenantFixture):\n" + String.join("\n", failures));
    }

    // ---------------------------------------------------------------- helpers

    /** Every kind of credentials that must not authenticate, by description. */
    static Map<String, String> badCredentials(TenantFixture owner) throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        String msp = owner.msp.toString();
        String client = owner.client.toString();
        bad.put("no Authorization header", null);
        bad.put("an empty bearer token", "Bearer ");
        bad.put("a malformed token", "Bearer not.a.jwt");
        bad.put("Basic credentials", "Basic " + Base64.getEncoder().encodeToString("operator:operator"
                .getBytes(StandardCharsets.UTF_8)));
        bad.put("an expired token", Requests.bearer(Tokens.expiredOperator()));
        bad.put("a token signed by another key", Requests.bearer(Tokens.forgedOperator()));
        bad.put("a token of another issuer", Requests.bearer(DevTokens.mint(Tokens.devKey(),
                "https://evil.example.com/", "test-operator", "operator", null, null, Duration.ofHours(1))));
        bad.put("a token for another audience", Requests.bearer(DevTokens.mint(Tokens.devKey(),
                DevTokens.DEV_ISSUER, "https://other-service.example.com", "test-operator", "operator", null, null,
                Duration.ofHours(1))));
        bad.put("a token without an audience", Requests.bearer(DevTokens.mint(Tokens.devKey(), DevTokens.DEV_ISSUER,
                null, "test-operator", "operator", null, null, Duration.ofHours(1))));
        bad.put("a token valid for ten years", Requests.bearer(DevTokens.mint(Tokens.devKey(), "test-operator",
                "operator", null, null, Duration.ofDays(3650))));
        bad.put("a token valid one second longer than 24 h", Requests.bearer(DevTokens.mint(Tokens.devKey(),
                "test-operator", "operator", null, null, Duration.ofHours(24).plusSeconds(1))));
        long now = java.time.Instant.now().getEpochSecond();
        bad.put("a token without iat", Requests.bearer(Tokens.signed(Map.of("iss", DevTokens.DEV_ISSUER,
                "aud", DevTokens.DEV_AUDIENCE, "sub", "test-operator", "groups", List.of("operator"),
                "exp", now + 600))));
        bad.put("a token without exp", Requests.bearer(Tokens.signed(Map.of("iss", DevTokens.DEV_ISSUER,
                "aud", DevTokens.DEV_AUDIENCE, "sub", "test-operator", "groups", List.of("operator"),
                "iat", now))));
        bad.put("an unsigned token (alg none)", Requests.bearer(unsigned(Tokens.operator())));
        bad.put("a token HMAC-signed with the public key", Requests.bearer(Jwt.issuer(DevTokens.DEV_ISSUER)
                .subject("test-operator").groups(Set.of("operator")).expiresIn(3600).jws()
                .algorithm(SignatureAlgorithm.HS256).sign(new SecretKeySpec(publicKeyBytes(), "HmacSHA256"))));
        // API keys: malformed, unknown, with a wrong secret, revoked, expired
        TenantFixture.ApiKeyFixture live = owner.mspKey();
        String secret = live.secret();
        bad.put("a malformed API key", "Bearer usk_" + "x".repeat(10));
        bad.put("an API key with a bad character", "Bearer " + secret.substring(0, secret.length() - 1) + "!");
        int at = "usk_".length() + 22 + 10; // inside the secret, away from its last (padding-bit) character
        bad.put("an API key with the wrong secret", "Bearer " + secret.substring(0, at)
                + (secret.charAt(at) == 'A' ? 'B' : 'A') + secret.substring(at + 1));
        bad.put("an unknown API key", "Bearer usk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new byte[16]) + secret.substring(secret.length() - 43));
        TenantFixture.ApiKeyFixture revoked = owner.createKey("/api/msps/" + owner.msp + "/api-keys", null);
        io.usersync.testing.Api.as(Tokens.operator()).delete("/api/msps/" + owner.msp + "/api-keys/" + revoked.id())
                .then().statusCode(200);
        bad.put("a revoked API key", "Bearer " + revoked.secret());
        java.time.Instant soon = java.time.Instant.now().plusSeconds(2);
        TenantFixture.ApiKeyFixture expiring = owner.createKey("/api/clients/" + owner.client + "/api-keys", soon);
        bad.put("an expired API key", "Bearer " + expiring.secret());
        bad.put("an API key as Basic credentials", "Basic " + Base64.getEncoder().encodeToString((":" + secret)
                .getBytes(StandardCharsets.UTF_8)));
        while (java.time.Instant.now().isBefore(soon.plusMillis(100))) {
            Thread.sleep(100);
        }
        bad.put("an msp-admin token without msp_id", Requests.bearer(DevTokens.mint(Tokens.devKey(), "m",
                "msp-admin", null, null, Duration.ofHours(1))));
        bad.put("an msp-admin token whose msp_id is not an id", Requests.bearer(DevTokens.mint(Tokens.devKey(),
                "m", "msp-admin", "acme", null, Duration.ofHours(1))));
        bad.put("a client-admin token without client_id", Requests.bearer(DevTokens.mint(Tokens.devKey(), "c",
                "client-admin", msp, null, Duration.ofHours(1))));
        bad.put("a client-admin token without msp_id", Requests.bearer(DevTokens.mint(Tokens.devKey(), "c",
                "client-admin", null, client, Duration.ofHours(1))));
        return bad;
    }

    private static byte[] publicKeyBytes() throws Exception {
        try (var in = TenancyMatrixTest.class.getClassLoader().getResourceAsStream("dev-keys/jwt-dev-public.pem")) {
            return in.readAllBytes();
        }
    }

    /** The token's claims with {@code alg: none} and no signature. */
    private static String unsigned(String token) throws Exception {
        String[] parts = token.split("\\.");
        ObjectNode header = (ObjectNode) new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        header.put("alg", "none");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.toString()
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
    }

    /** Null when the response is a problem+json with this status (and code, when given); else what is wrong. */
    static String checkProblem(Response response, int status, String code) {
        if (response.statusCode() != status) {
            return "expected " + status + ", got " + response.statusCode() + " " + abbreviate(response.asString());
        }
        String type = response.contentType();
        if (type == null || !type.startsWith(PROBLEM)) {
            return "content type " + type + " instead of " + PROBLEM;
        }
        String actual = response.jsonPath().getString("code");
        if (actual == null || (code != null && !code.equals(actual))) {
            return "problem code " + actual + (code == null ? "" : " instead of " + code);
        }
        return null;
    }

    /** Null unless the body (the echoed request path aside) contains the other tenant's data. */
    static String leak(Response response, Set<String> markers) {
        String body;
        try {
            JsonNode json = new ObjectMapper().readTree(response.asString());
            if (json instanceof ObjectNode object) {
                object.remove("instance");
            }
            body = json.toString();
        } catch (Exception e) {
            body = response.asString();
        }
        for (String marker : markers) {
            if (body.contains(marker)) {
                return "the answer reveals " + marker + ": " + abbreviate(body);
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The attacker's own API keys record their use (last_used_at): the one change its requests may make. */
    static final Set<String> ATTACKER_BOOKKEEPING = Set.of("api_key.last_used_at");

    String fingerprint(UUID msp) throws Exception {
        return fingerprint(msp, Set.of());
    }

    /**
     * Digest of every row, in every table with an msp_id column (and the MSP row itself), of one MSP; columns
     * named {@code table.column} in {@code ignored} are left out.
     */
    String fingerprint(UUID msp, Set<String> ignored) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (Connection db = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement s = db.prepareStatement("SELECT table_name FROM information_schema.columns "
                    + "WHERE table_schema = DATABASE() AND column_name = 'msp_id' ORDER BY table_name");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertTrue(tables.containsAll(List.of("app_user", "client_account", "outbox", "user_status_event")));
            digestRows(db, digest, "SELECT * FROM msp WHERE id = ?", msp, "msp", ignored);
            for (String table : tables) {
                digest.update(table.getBytes(StandardCharsets.UTF_8));
                digestRows(db, digest, "SELECT * FROM " + table + " WHERE msp_id = ? ORDER BY 1", msp, table,
                        ignored);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void digestRows(Connection db, MessageDigest digest, String sql, UUID msp, String table,
            Set<String> ignored) throws Exception {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        if (ignored.contains(table + "." + meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT))) {
                            continue;
                        }
                        byte[] value = rs.getBytes(i);
                        digest.update(value == null ? new byte[] { 0 } : value);
                        digest.update((byte) 0x1F);
                    }
                    digest.update((byte) 0x1E);
                }
            }
        }
    }
}
