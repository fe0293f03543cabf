package io.usersync.emulator.google;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator's wire format, checked byte-level with a plain HTTP client: Google's token endpoint for the
 * JWT-bearer grant, bearer checks, paging, partial responses, queries, member expansion, error bodies and
 * scripted faults. (The product talks to it only through the Google SDKs; see the connector tests.)
 */
class GoogleEmulatorTest {

    private static final String USER_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly";
    private static final String MEMBER_SCOPE = "https://www.googleapis.com/auth/admin.directory.group.member.readonly";
    private static final String ADMIN = "admin@wire.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static GoogleEmulator emulator;
    private static ServiceAccount account;

    @BeforeAll
    static void start() {
        emulator = GoogleEmulator.start(0, "wire.example");
        account = ServiceAccount.generate("wire", "wire-tests");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
        workspace().addAdmin(ADMIN, "Wire", "Admin");
        workspace().registerKey(account);
        workspace().authorizeDelegation(account.clientId(), List.of(USER_SCOPE, MEMBER_SCOPE));
    }

    private static GoogleWorkspace workspace() {
        return emulator.workspace();
    }

    // ---------------------------------------------------------------- helpers

    private record Answer(int status, JsonNode json, String body, HttpResponse<String> raw) {
    }

    private static Map<String, Object> claims(String subject, String scope) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", account.clientEmail());
        claims.put("scope", scope);
        claims.put("aud", "https://oauth2.googleapis.com/token");
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        if (subject != null) {
            claims.put("sub", subject);
        }
        return claims;
    }

    private static String assertion(ServiceAccount signer, Map<String, Object> claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid",
                signer.keyId())));
        String payload = b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(signer.keys().getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + b64.encodeToString(signature.sign());
    }

    private static Answer token(String form) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.tokenUri()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()), response.body(), response);
    }

    private static Answer grant(ServiceAccount signer, Map<String, Object> claims) throws Exception {
        return token("grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&assertion=" + assertion(signer, claims));
    }

    private static String accessToken(String subject, String scope) throws Exception {
        Answer answer = grant(account, claims(subject, scope));
        assertEquals(200, answer.status(), answer.body());
        return answer.json().path("access_token").asText();
    }

    private static Answer get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.rootUrl() + pathAndQuery.substring(1)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        return new Answer(response.statusCode(), json, response.body(), response);
    }

    private static Answer users(String query) throws Exception {
        return get("/admin/directory/v1/users?" + query, accessToken(ADMIN, USER_SCOPE));
    }

    private static void assertGoogleError(Answer answer, int code, String reason, String message) {
        assertEquals(code, answer.status(), answer.body());
        JsonNode error = answer.json().path("error");
        assertEquals(code, error.path("code").asInt());
        assertEquals(message, error.path("message").asText());
        assertEquals(reason, error.path("errors").path(0).path("reason").asText());
        assertEquals(message, error.path("errors").path(0).path("message").asText());
        assertTrue(error.path("errors").path(0).path("domain").isTextual());
        assertTrue(error.path("status").isTextual());
    }

    private static void assertTokenError(Answer answer, int status, String error, String description) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(error, answer.json().path("error").asText());
        assertTrue(answer.json().path("error_description").asText().contains(description), answer.body());
        assertFalse(answer.json().has("access_token"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    // ---------------------------------------------------------------- token endpoint

    @Test
    void theJwtBearerGrantIssuesABearerTokenForADelegatedAdministrator() throws Exception {
        Answer answer = grant(account, claims(ADMIN, USER_SCOPE));
        assertEquals(200, answer.status(), answer.body());
        assertEquals("Bearer", answer.json().path("token_type").asText());
        assertTrue(answer.json().path("expires_in").asInt() > 3000);
        String token = answer.json().path("access_token").asText();
        assertEquals(200, get("/admin/directory/v1/users?customer=my_customer", token).status());
        assertEquals(1, emulator.tokenRequests());
    }

    @Test
    void assertionsAreVerifiedAsGoogleDoes() throws Exception {
        assertTokenError(grant(account.withUnregisteredKey(), claims(ADMIN, USER_SCOPE)), 400, "invalid_grant",
                "Invalid JWT Signature.");
        Map<String, Object> unknownIssuer = claims(ADMIN, USER_SCOPE);
        unknownIssuer.put("iss", "ghost@nowhere.iam.gserviceaccount.com");
        assertTokenError(grant(account, unknownIssuer), 400, "invalid_grant", "account not found");
        Map<String, Object> audience = claims(ADMIN, USER_SCOPE);
        audience.put("aud", "https://attacker.example/token");
        assertTokenError(grant(account, audience), 400, "invalid_grant", "Failed audience check");
        Map<String, Object> expired = claims(ADMIN, USER_SCOPE);
        expired.put("exp", Instant.now().getEpochSecond() - 10);
        assertTokenError(grant(account, expired), 400, "invalid_grant", "short-lived token");
        Map<String, Object> tooLong = claims(ADMIN, USER_SCOPE);
        tooLong.put("exp", Instant.now().getEpochSecond() + 7200);
        assertTokenError(grant(account, tooLong), 400, "invalid_grant", "short-lived token");
        assertTokenError(grant(account, claims(ADMIN, "")), 400, "invalid_scope", "Invalid OAuth scope");
        assertTokenError(grant(account, claims("nobody@wire.example", USER_SCOPE)), 400, "invalid_grant",
                "Invalid email or User ID");
        assertTokenError(token("grant_type=client_credentials"), 400, "unsupported_grant_type",
                "Invalid grant_type: client_credentials");
        assertTokenError(token("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"), 400,
                "invalid_request", "assertion");
        String tampered = assertion(account, claims(ADMIN, USER_SCOPE));
        tampered = tampered.substring(0, tampered.length() - 3) + (tampered.endsWith("AAA") ? "BBB" : "AAA");
        assertTokenError(token("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="
                + tampered), 400, "invalid_grant", "Invalid JWT Signature.");
    }

    @Test
    void delegationMustCoverEveryRequestedScope() throws Exception {
        workspace().revokeDelegation(account.clientId());
        workspace().authorizeDelegation(account.clientId(), List.of(USER_SCOPE));
        assertEquals(200, grant(account, claims(ADMIN, USER_SCOPE)).status());
        assertTokenError(grant(account, claims(ADMIN, USER_SCOPE + " " + MEMBER_SCOPE)), 401, "unauthorized_client",
                "Client is unauthorized to retrieve access tokens using this method, or client not authorized for"
                        + " any of the scopes requested.");
        workspace().revokeDelegation(account.clientId());
        assertTokenError(grant(account, claims(ADMIN, USER_SCOPE)), 401, "unauthorized_client", "unauthorized");
    }

    @Test
    void aDeletedKeyNoLongerSigns() throws Exception {
        workspace().deleteKey(account.clientEmail(), account.keyId());
        assertTokenError(grant(account, claims(ADMIN, USER_SCOPE)), 400, "invalid_grant", "Invalid JWT Signature.");
    }

    // ---------------------------------------------------------------- bearer checks

    @Test
    void directoryRequestsNeedATokenWithTheScopeForAnAdministrator() throws Exception {
        String path = "/admin/directory/v1/users?customer=my_customer";
        assertGoogleError(get(path, null), 401, "required", "Request is missing required authentication credential."
                + " Expected OAuth 2 access token, login cookie or other valid authentication credential.");
        Answer invalid = get(path, "ya29.not-issued");
        assertGoogleError(invalid, 401, "authError", "Request had invalid authentication credentials. Expected"
                + " OAuth 2 access token, login cookie or other valid authentication credential.");
        assertTrue(invalid.raw().headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        assertGoogleError(get("/admin/directory/v1/groups/g@wire.example/members", accessToken(ADMIN, USER_SCOPE)),
                403, "insufficientPermissions", "Request had insufficient authentication scopes.");
        workspace().addUser("plain@wire.example", "Plain", "User");
        assertGoogleError(get(path, accessToken("plain@wire.example", USER_SCOPE)), 403, "forbidden",
                "Not Authorized to access this resource/api");
        assertGoogleError(get(path, accessToken(null, USER_SCOPE)), 403, "forbidden",
                "Not Authorized to access this resource/api");
    }

    // ---------------------------------------------------------------- users.list and users.get

    @Test
    void usersArePagedWithOpaqueTokensUntilTheLastPage() throws Exception {
        for (int i = 0; i < 29; i++) {
            workspace().addUser("user" + i + "@wire.example", "First" + i, "Last" + i);
        }
        Set<String> ids = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        String pageToken = null;
        do {
            Answer page = users("customer=my_customer&maxResults=10"
                    + (pageToken == null ? "" : "&pageToken=" + pageToken));
            assertEquals(200, page.status(), page.body());
            assertEquals("admin#directory#users", page.json().path("kind").asText());
            page.json().path("users").forEach(u -> ids.add(u.path("id").asText()));
            sizes.add(page.json().path("users").size());
            pageToken = page.json().path("nextPageToken").asText(null);
        } while (pageToken != null);
        assertEquals(List.of(10, 10, 10), sizes, "29 users and the administrator");
        assertEquals(30, ids.size());
        assertTrue(ids.stream().allMatch(id -> id.matches("1\\d{20}")), "Google-style 21-digit ids");
        assertGoogleError(users("customer=my_customer&pageToken=garbage!"), 400, "invalid", "Invalid Input");
    }

    @Test
    void aUserHasGoogleShapeAndTheFieldsMaskSelectsParts() throws Exception {
        String id = workspace().addUser("ada@wire.example", "Ada", "Lovelace", "/Engineering");
        workspace().setAliases(id, "countess@wire.example");
        workspace().setSuspended(id, true);
        JsonNode full = users("domain=wire.example&query=orgUnitPath%3D%27%2FEngineering%27").json()
                .path("users").path(0);
        assertEquals("admin#directory#user", full.path("kind").asText());
        assertEquals(id, full.path("id").asText());
        assertEquals("ada@wire.example", full.path("primaryEmail").asText());
        assertEquals("Ada", full.path("name").path("givenName").asText());
        assertEquals("Lovelace", full.path("name").path("familyName").asText());
        assertEquals("Ada Lovelace", full.path("name").path("fullName").asText());
        assertTrue(full.path("suspended").asBoolean());
        assertEquals("ADMIN", full.path("suspensionReason").asText());
        assertFalse(full.path("archived").asBoolean());
        assertEquals("countess@wire.example", full.path("aliases").path(0).asText());
        assertFalse(full.has("nonEditableAliases"), "empty lists are left out");
        assertEquals("/Engineering", full.path("orgUnitPath").asText());
        assertEquals(GoogleWorkspace.DEFAULT_CUSTOMER_ID, full.path("customerId").asText());

        Answer partial = users("customer=my_customer&fields=nextPageToken,users(id,name/givenName,aliases)");
        assertEquals(Set.of("users"), fieldNames(partial.json()), "no kind, no etag, no token on the last page");
        JsonNode user = partial.json().path("users").path(1);
        assertEquals(Set.of("id", "name", "aliases"), fieldNames(user));
        assertEquals(Set.of("givenName"), fieldNames(user.path("name")));
        assertGoogleError(users("customer=my_customer&fields=users(id,password(hash))"), 400, "invalidParameter",
                "Invalid field selection password");
        assertGoogleError(users("customer=my_customer&fields=users(bogus)"), 400, "invalidParameter",
                "Invalid field selection bogus");
    }

    @Test
    void listingParametersAreValidatedAsByGoogle() throws Exception {
        assertEquals(200, users("customer=my_customer&maxResults=500").status());
        assertGoogleError(users("customer=my_customer&maxResults=501"), 400, "invalidParameter",
                "Invalid value '501'. Values must be within the range: [1, 500]");
        assertGoogleError(users("maxResults=10"), 400, "badRequest", "Bad Request");
        assertGoogleError(users("customer=C0other"), 400, "badRequest", "Bad Request");
        assertGoogleError(users("domain=unknown.example"), 400, "badRequest", "Domain not found.");
        assertEquals(200, users("customer=" + GoogleWorkspace.DEFAULT_CUSTOMER_ID).status());
        assertGoogleError(users("customer=my_customer&query=orgUnitPath%3D%27%2FNowhere%27"), 400, "invalid",
                "Invalid Input: INVALID_OU_ID");
        assertTrue(users("customer=my_customer").body().contains("\n"), "pretty-printed by default, as Google");
        assertFalse(users("customer=my_customer&prettyPrint=false").body().contains("\n"));
    }

    @Test
    void orgUnitQueriesMatchTheUnitAndItsSubUnits() throws Exception {
        String sales = workspace().addUser("s@wire.example", "S", "S", "/Sales");
        String emea = workspace().addUser("e@wire.example", "E", "E", "/Sales/EMEA");
        workspace().addUser("o@wire.example", "O", "O", "/SalesOps");
        String suspended = workspace().addUser("x@wire.example", "X", "X", "/Sales/EMEA");
        workspace().setSuspended(suspended, true);
        Set<String> ids = new HashSet<>();
        users("customer=my_customer&query=orgUnitPath%3D%27%2Fsales%27").json().path("users")
                .forEach(u -> ids.add(u.path("id").asText()));
        assertEquals(Set.of(sales, emea, suspended), ids);
        ids.clear();
        users("customer=my_customer&query=orgUnitPath%3D%2FSales%20isSuspended%3Dfalse").json().path("users")
                .forEach(u -> ids.add(u.path("id").asText()));
        assertEquals(Set.of(sales, emea), ids, "clauses are ANDed");
    }

    @Test
    void aUserIsFoundByIdPrimaryAddressOrAlias() throws Exception {
        String id = workspace().addUser("grace@wire.example", "Grace", "Hopper");
        workspace().setAliases(id, "amazing@wire.example");
        String token = accessToken(ADMIN, USER_SCOPE);
        for (String key : List.of(id, "grace@wire.example", "Amazing@wire.example")) {
            Answer answer = get("/admin/directory/v1/users/" + key, token);
            assertEquals(200, answer.status(), key);
            assertEquals(id, answer.json().path("id").asText());
        }
        assertGoogleError(get("/admin/directory/v1/users/nobody@wire.example", token), 404, "notFound",
                "Resource Not Found: userKey");
        workspace().rename(id, "grace.hopper@wire.example");
        JsonNode renamed = get("/admin/directory/v1/users/" + id, token).json();
        assertEquals("grace.hopper@wire.example", renamed.path("primaryEmail").asText());
        assertTrue(renamed.path("aliases").toString().contains("grace@wire.example"), "the old address stays");
    }

    // ---------------------------------------------------------------- members.list

    @Test
    void membersListDirectOrDerivedMembership() throws Exception {
        String direct = workspace().addUser("d@wire.example", "D", "D");
        String nested = workspace().addUser("n@wire.example", "N", "N");
        workspace().setSuspended(nested, true);
        String outer = workspace().addGroup("outer@wire.example", "Outer");
        String inner = workspace().addGroup("inner@wire.example", "Inner");
        workspace().addMember(outer, direct);
        workspace().addMember(outer, inner);
        workspace().addMember(inner, nested);
        workspace().addMember(inner, outer); // a cycle Google would refuse; must not loop
        String token = accessToken(ADMIN, MEMBER_SCOPE);
        JsonNode directOnly = get("/admin/directory/v1/groups/outer@wire.example/members", token).json();
        assertEquals("admin#directory#members", directOnly.path("kind").asText());
        assertEquals(2, directOnly.path("members").size());
        assertEquals("USER", directOnly.path("members").path(0).path("type").asText());
        assertEquals("GROUP", directOnly.path("members").path(1).path("type").asText());
        assertEquals("inner@wire.example", directOnly.path("members").path(1).path("email").asText());
        JsonNode derived = get("/admin/directory/v1/groups/" + outer + "/members?includeDerivedMembership=true",
                token).json();
        List<String> ids = new ArrayList<>();
        derived.path("members").forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(List.of(direct, inner, nested, outer), ids);
        assertEquals("SUSPENDED", derived.path("members").path(2).path("status").asText());
        assertEquals("MEMBER", derived.path("members").path(2).path("role").asText());
        assertGoogleError(get("/admin/directory/v1/groups/missing@wire.example/members", token), 404, "notFound",
                "Resource Not Found: groupKey");
        String everyone = workspace().addGroup("all@wire.example", "All");
        workspace().addCustomerMember(everyone);
        JsonNode customer = get("/admin/directory/v1/groups/" + everyone + "/members", token).json()
                .path("members").path(0);
        assertEquals("CUSTOMER", customer.path("type").asText());
        assertEquals(GoogleWorkspace.DEFAULT_CUSTOMER_ID, customer.path("id").asText());
        assertFalse(customer.has("email"));
        assertGoogleError(get("/admin/directory/v1/groups/" + outer + "/members?maxResults=201", token), 400,
                "invalidParameter", "Invalid value '201'. Values must be within the range: [1, 200]");
    }

    // ---------------------------------------------------------------- faults

    @Test
    void faultsHitTheChosenPageOnceOrForEver() throws Exception {
        for (int i = 0; i < 25; i++) {
            workspace().addUser("f" + i + "@wire.example", "F", "F" + i);
        }
        Answer first = users("customer=my_customer&maxResults=10");
        String page2 = "customer=my_customer&maxResults=10&pageToken=" + first.json().path("nextPageToken").asText();
        emulator.inject(FaultRule.forever(FaultRule.Target.USERS, 2, GoogleFault.SERVER_ERROR));
        assertEquals(200, users("customer=my_customer&maxResults=10").status(), "page 1 is not affected");
        assertGoogleError(users(page2), 500, "backendError", "Internal error encountered.");
        assertGoogleError(users(page2), 500, "backendError", "Internal error encountered.");
        emulator.clearFaults();
        emulator.inject(FaultRule.once(FaultRule.Target.ANY_LISTING, 2, GoogleFault.USER_RATE_LIMIT_EXCEEDED));
        Answer limited = users(page2);
        assertGoogleError(limited, 403, "userRateLimitExceeded", "User Rate Limit Exceeded");
        assertEquals("usageLimits", limited.json().path("error").path("errors").path(0).path("domain").asText());
        assertEquals(200, users(page2).status(), "once means once");
        emulator.inject(FaultRule.once(FaultRule.Target.USERS, 2, GoogleFault.QUOTA_EXCEEDED));
        assertEquals("quotaExceeded", users(page2).json().path("error").path("errors").path(0).path("reason").asText());
        emulator.inject(FaultRule.once(FaultRule.Target.USERS, 2, GoogleFault.TOO_MANY_REQUESTS).withRetryAfter(3));
        Answer tooMany = users(page2);
        assertGoogleError(tooMany, 429, "rateLimitExceeded", tooMany.json().path("error").path("message").asText());
        assertEquals("RESOURCE_EXHAUSTED", tooMany.json().path("error").path("status").asText());
        assertEquals("3", tooMany.raw().headers().firstValue("Retry-After").orElse(null));
        emulator.inject(FaultRule.once(FaultRule.Target.USERS, 2, GoogleFault.MALFORMED_JSON));
        Answer malformed = users(page2);
        assertEquals(200, malformed.status());
        assertNull(malformed.json(), "not parseable: " + malformed.body());
        emulator.inject(FaultRule.forever(FaultRule.Target.USERS, 2, GoogleFault.CONNECTION_RESET));
        assertThrows(IOException.class, () -> users(page2), "no response at all");
        assertEquals(0, emulator.requests().getLast().status());
        emulator.clearFaults();
        assertEquals(200, users(page2).status());
    }

    @Test
    void theRequestLogRecordsWhatWasSent() throws Exception {
        users("customer=my_customer&maxResults=7&fields=users(id)");
        RecordedRequest request = emulator.requests().getLast();
        assertEquals("GET", request.method());
        assertEquals("/admin/directory/v1/users", request.path());
        assertEquals(Map.of("customer", "my_customer", "maxResults", "7", "fields", "users(id)"), request.query());
        assertEquals(200, request.status());
        assertEquals(1, emulator.listRequests());
    }

    // ---------------------------------------------------------------- seeded tenants

    @Test
    void seedingIsDeterministicPerSeed() {
        GoogleWorkspace a = new GoogleWorkspace("C1", "seed.example");
        GoogleWorkspace b = new GoogleWorkspace("C1", "seed.example");
        GoogleWorkspace c = new GoogleWorkspace("C1", "seed.example");
        a.seedUsers(2000, 99);
        b.seedUsers(2000, 99);
        c.seedUsers(2000, 100);
        List<GoogleWorkspace.UserInfo> usersA = new ArrayList<>();
        List<GoogleWorkspace.UserInfo> usersB = new ArrayList<>();
        List<GoogleWorkspace.UserInfo> usersC = new ArrayList<>();
        for (long n = 1; n <= 2000; n++) {
            String id = GoogleWorkspace.userId(n);
            usersA.add(a.user(id).orElseThrow());
            usersB.add(b.user(id).orElseThrow());
            usersC.add(c.user(id).orElseThrow());
        }
        assertEquals(usersA, usersB);
        assertNotEquals(usersA, usersC);
        long suspended = usersA.stream().filter(GoogleWorkspace.UserInfo::suspended).count();
        long archived = usersA.stream().filter(GoogleWorkspace.UserInfo::archived).count();
        assertTrue(suspended > 20 && suspended < 120, "about 3 %: " + suspended);
        assertTrue(archived > 5 && archived < 50, "about 1 %: " + archived);
        assertTrue(usersA.stream().anyMatch(u -> u.orgUnitPath().equals("/Sales/EMEA")));
        assertTrue(usersA.stream().anyMatch(u -> !u.aliases().isEmpty()));
    }

    @Test
    void aSeededTenantOfAHundredThousandUsersIsServedCompletely() throws Exception {
        workspace().seedUsers(100_000, 1);
        String token = accessToken(ADMIN, USER_SCOPE);
        Set<String> ids = new HashSet<>();
        int pages = 0;
        String pageToken = null;
        do {
            Answer page = get("/admin/directory/v1/users?customer=my_customer&maxResults=500&prettyPrint=false"
                    + "&fields=nextPageToken,users(id)" + (pageToken == null ? "" : "&pageToken=" + pageToken), token);
            assertEquals(200, page.status());
            page.json().path("users").forEach(u -> ids.add(u.path("id").asText()));
            pageToken = page.json().path("nextPageToken").asText(null);
            pages++;
        } while (pageToken != null);
        assertEquals(100_001, ids.size(), "every seeded user and the administrator, each once");
        assertEquals(201, pages);
        assertNotNull(workspace().user(GoogleWorkspace.userId(100_001)).orElse(null));
    }
}
