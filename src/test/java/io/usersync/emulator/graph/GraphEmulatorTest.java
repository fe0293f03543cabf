package io.usersync.emulator.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's wire format as documented for Graph v1.0 and the Entra ID token endpoint, checked with a bare
 * HTTP client (the connector tests check it through the real SDKs).
 */
class GraphEmulatorTest {

    private static GraphEmulator emulator;
    private static HttpClient http;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphTenant tenant;
    private final String clientId = UUID.randomUUID().toString();

    @BeforeAll
    static void start() throws Exception {
        emulator = GraphEmulator.start();
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("emulator", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(emulator.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(tls).build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void newTenant() {
        String id = UUID.randomUUID().toString();
        tenant = emulator.createTenant(id, "w" + id.substring(0, 6) + ".onmicrosoft.com");
        tenant.registerSecretApp(clientId, "s3cret");
    }

    private HttpResponse<String> token(String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.authorityHost() + "/" + tenant.tenantId()
                + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String accessToken() throws Exception {
        HttpResponse<String> response = token("grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=s3cret&scope=" + URLEncoder.encode("https://graph.microsoft.com/.default",
                        StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("Bearer", body.path("token_type").asText());
        assertTrue(body.path("expires_in").asInt() > 0);
        return body.path("access_token").asText();
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTokenEndpointRefusesAsEntraIdDoes() throws Exception {
        HttpResponse<String> wrong = token("grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=nope&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        assertEquals(401, wrong.statusCode());
        JsonNode body = JSON.readTree(wrong.body());
        assertEquals("invalid_client", body.path("error").asText());
        assertTrue(body.path("error_description").asText().startsWith("AADSTS7000215: Invalid client secret"));
        assertTrue(body.path("error_description").asText().contains("Trace ID: "));
        assertEquals(7000215, body.path("error_codes").get(0).asInt());
        assertNotNull(body.get("trace_id"));
        assertNotNull(body.get("correlation_id"));
        assertFalse(wrong.body().contains("nope"));
        HttpResponse<String> unknownApp = token("grant_type=client_credentials&client_id=" + UUID.randomUUID()
                + "&client_secret=s3cret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        assertEquals(400, unknownApp.statusCode());
        assertEquals("unauthorized_client", JSON.readTree(unknownApp.body()).path("error").asText());
        HttpResponse<String> badScope = token("grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=s3cret&scope=User.Read");
        assertEquals("invalid_scope", JSON.readTree(badScope.body()).path("error").asText());
    }

    @Test
    void graphChecksTheBearerTokenAndAnswersODataErrors() throws Exception {
        HttpResponse<String> none = get(emulator.graphBaseUrl() + "/users", null);
        assertEquals(401, none.statusCode());
        JsonNode error = JSON.readTree(none.body()).path("error");
        assertEquals("InvalidAuthenticationToken", error.path("code").asText());
        assertTrue(error.path("innerError").has("request-id"));
        assertTrue(error.path("innerError").has("date"));
        assertEquals(401, get(emulator.graphBaseUrl() + "/users", "forged").statusCode());
        String token = accessToken();
        HttpResponse<String> tooLarge = get(emulator.graphBaseUrl() + "/users?$top=1000", token);
        assertEquals(400, tooLarge.statusCode());
        HttpResponse<String> unknownProperty = get(emulator.graphBaseUrl() + "/users?$select=id,shoeSize", token);
        assertEquals(400, unknownProperty.statusCode());
        assertTrue(unknownProperty.body().contains("shoeSize"));
        HttpResponse<String> missingGroup = get(emulator.graphBaseUrl() + "/groups/" + UUID.randomUUID()
                + "/transitiveMembers/microsoft.graph.user", token);
        assertEquals(404, missingGroup.statusCode());
        assertEquals("Request_ResourceNotFound", JSON.readTree(missingGroup.body()).path("error").path("code")
                .asText());
        tenant.revokeDirectoryRead(clientId);
        assertEquals(403, get(emulator.graphBaseUrl() + "/users", token).statusCode());
    }

    @Test
    void pagesCarryNextLinksOnTheEmulatorsOwnHostUntilTheEnd() throws Exception {
        for (int i = 0; i < 5; i++) {
            tenant.addUser(GraphUser.member("p" + i + "@wire.example", "P", "" + i));
        }
        String token = accessToken();
        String url = emulator.graphBaseUrl() + "/users?$select=id,mail&$top=2";
        Set<String> ids = new HashSet<>();
        int pages = 0;
        while (url != null) {
            HttpResponse<String> response = get(url, token);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode body = JSON.readTree(response.body());
            assertTrue(body.path("@odata.context").asText().endsWith("$metadata#users(id,mail)"));
            for (JsonNode user : body.path("value")) {
                assertEquals(Set.of("id", "mail"), fieldNames(user), "only the selected properties");
                ids.add(user.path("id").asText());
            }
            pages++;
            url = body.hasNonNull("@odata.nextLink") ? body.path("@odata.nextLink").asText() : null;
            if (url != null) {
                assertTrue(url.startsWith(emulator.graphBaseUrl() + "/users?"), url);
                assertTrue(url.contains("$skiptoken="));
            }
        }
        assertEquals(3, pages);
        assertEquals(5, ids.size());
    }

    @Test
    void deltaRoundsEndWithADeltaLinkAndLaterReportChangesAndRemovals() throws Exception {
        String kept = tenant.addUser(GraphUser.member("kept@wire.example", "Kept", "K"));
        String removed = tenant.addUser(GraphUser.member("removed@wire.example", "Removed", "R"));
        String token = accessToken();
        JsonNode initial = JSON.readTree(get(emulator.graphBaseUrl() + "/users/delta?$select=id,mail", token).body());
        assertEquals(2, initial.path("value").size());
        assertNull(initial.get("@odata.nextLink"));
        String deltaLink = initial.path("@odata.deltaLink").asText();
        assertTrue(deltaLink.startsWith(emulator.graphBaseUrl() + "/users/delta"), deltaLink);
        assertTrue(deltaLink.contains("$deltatoken="));

        tenant.deleteUserPermanently(removed);
        tenant.updateUser(kept, u -> u.withMail("kept.new@wire.example"));
        JsonNode changes = JSON.readTree(get(deltaLink, token).body());
        assertEquals(2, changes.path("value").size());
        for (JsonNode entry : changes.path("value")) {
            if (entry.path("id").asText().equals(removed)) {
                assertEquals("deleted", entry.path("@removed").path("reason").asText());
            } else {
                assertEquals("kept.new@wire.example", entry.path("mail").asText());
                assertEquals(Set.of("id", "mail"), fieldNames(entry), "the initial $select is kept by the token");
            }
        }
        tenant.expireDeltaTokens();
        HttpResponse<String> gone = get(changes.path("@odata.deltaLink").asText(), token);
        assertEquals(410, gone.statusCode());
        assertEquals("syncStateNotFound", JSON.readTree(gone.body()).path("error").path("code").asText());
        assertTrue(gone.headers().firstValue("Location").orElseThrow().endsWith("/users/delta()"));
        assertEquals(410, get(emulator.graphBaseUrl() + "/users/delta()?$deltatoken=garbage", token).statusCode(),
                "an unknown token is gone too");
    }

    @Test
    void transitiveMembersResolveNestingAndTheCastKeepsUsersOnly() throws Exception {
        String outer = tenant.addGroup("outer");
        String inner = tenant.addGroup("inner");
        String direct = tenant.addUser(GraphUser.member("d@wire.example", "D", "D"));
        String nested = tenant.addUser(GraphUser.member("n@wire.example", "N", "N"));
        tenant.addMember(outer, direct);
        tenant.addMember(outer, inner);
        tenant.addMember(inner, nested);
        tenant.addMember(inner, outer);
        String token = accessToken();
        JsonNode all = JSON.readTree(get(emulator.graphBaseUrl() + "/groups/" + outer + "/transitiveMembers", token)
                .body());
        assertEquals(3, all.path("value").size(), "two users and the nested group, cycles tolerated");
        JsonNode users = JSON.readTree(get(emulator.graphBaseUrl() + "/groups/" + outer
                + "/transitiveMembers/microsoft.graph.user?$select=id", token).body());
        Set<String> ids = new HashSet<>();
        users.path("value").forEach(u -> ids.add(u.path("id").asText()));
        assertEquals(Set.of(direct, nested), ids);
    }

    @Test
    void faultsHitTheChosenPage() throws Exception {
        for (int i = 0; i < 4; i++) {
            tenant.addUser(GraphUser.member("f" + i + "@wire.example", "F", "" + i));
        }
        tenant.maxPageSize(2);
        String token = accessToken();
        JsonNode first = JSON.readTree(get(emulator.graphBaseUrl() + "/users?$top=999", token).body());
        assertEquals(2, first.path("value").size(), "the server-side cap wins over $top");
        String second = first.path("@odata.nextLink").asText();
        tenant.throttleOnceAtPage(2, 7);
        HttpResponse<String> throttled = get(second, token);
        assertEquals(429, throttled.statusCode());
        assertEquals("7", throttled.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, get(second, token).statusCode(), "once, then served");
        tenant.failAtPage(2, GraphFault.MALFORMED_JSON, 1, null);
        HttpResponse<String> malformed = get(second, token);
        assertEquals(200, malformed.statusCode());
        assertThrows(IOException.class, () -> JSON.readTree(malformed.body()));
        tenant.failAtPage(2, GraphFault.CONNECTION_RESET, 1, null);
        assertThrows(IOException.class, () -> get(second, token));
        tenant.failAtPage(2, GraphFault.GATEWAY_TIMEOUT, 1, null);
        assertEquals(504, get(second, token).statusCode());
        assertEquals(2, tenant.throttledResponses());
    }

    @Test
    void aLargeSeededTenantIsDeterministicAndPagesAt999() throws Exception {
        tenant.seedUsers(100_000, 7);
        String token = accessToken();
        String url = emulator.graphBaseUrl() + "/users?$select=id,mail,givenName&$top=999";
        int pages = 0;
        int users = 0;
        String firstId = null;
        while (url != null) {
            JsonNode body = JSON.readTree(get(url, token).body());
            if (firstId == null) {
                firstId = body.path("value").get(0).path("id").asText();
            }
            users += body.path("value").size();
            pages++;
            url = body.hasNonNull("@odata.nextLink") ? body.path("@odata.nextLink").asText() : null;
        }
        assertEquals(100_000, users);
        assertEquals(101, pages);
        assertEquals(StoredUser.seeded(7, 0, "any").id(), firstId, "ids depend only on the seed and position");
        assertEquals(100_000, tenant.userCount());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
