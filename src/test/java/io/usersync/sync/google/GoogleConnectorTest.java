package io.usersync.sync.google;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.emulator.google.DemoWorkspace;
import io.usersync.emulator.google.FaultRule;
import io.usersync.emulator.google.FaultRule.Target;
import io.usersync.emulator.google.GoogleEmulator;
import io.usersync.emulator.google.GoogleFault;
import io.usersync.emulator.google.GoogleWorkspace;
import io.usersync.emulator.google.RecordedRequest;
import io.usersync.emulator.google.ServiceAccount;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryException.Kind;
import io.usersync.sync.port.DirectoryPage;
import io.usersync.sync.port.DirectoryUser;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.ReadMode;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What is specific to Google: the requests the SDK really sends (page size, field masks, member expansion,
 * org-unit queries), how pools of groups and org units are read, back-off on Google's throttling answers,
 * domain-wide delegation failures, and that the key file cannot choose the token endpoint.
 */
@QuarkusTest
class GoogleConnectorTest {

    private static final GoogleFixture FIXTURE = new GoogleFixture();
    private static final String USERS_PATH = "/admin/directory/v1/users";
    private static final String USER_MASK = "nextPageToken,users(id,primaryEmail,name(givenName,familyName),"
            + "suspended,archived,aliases,nonEditableAliases)";

    @Inject
    GoogleConnector connector;

    @BeforeEach
    void reset() {
        FIXTURE.reset();
    }

    private static GoogleWorkspace workspace() {
        return FIXTURE.workspace();
    }

    private static GoogleEmulator emulator() {
        return FIXTURE.emulator();
    }

    private record Read(List<DirectoryPage> pages, long requests, long throttled) {
        Map<String, DirectoryUser> byId() {
            Map<String, DirectoryUser> users = new HashMap<>();
            pages.forEach(p -> p.users().forEach(u -> users.put(u.externalId(), u)));
            return users;
        }

        int userCount() {
            return pages.stream().mapToInt(p -> p.users().size()).sum();
        }
    }

    private Read read(PoolSpec pool) throws DirectoryException {
        return read(FIXTURE.credentials(), pool);
    }

    private Read read(Credentials credentials, PoolSpec pool) throws DirectoryException {
        List<DirectoryPage> pages = new ArrayList<>();
        try (DirectoryConnector.PoolReader reader = connector.open(credentials, pool, ReadMode.FULL, null,
                Instant.now().plusSeconds(30))) {
            DirectoryPage page;
            while ((page = reader.next()) != null) {
                pages.add(page);
            }
            return new Read(pages, reader.requests(), reader.throttled());
        }
    }

    private static PoolSpec groups(String... groups) {
        return new PoolSpec(false, List.of(groups), List.of(), false);
    }

    private static PoolSpec units(String... units) {
        return new PoolSpec(false, List.of(), List.of(units), false);
    }

    private static List<RecordedRequest> userListings() {
        return emulator().requests().stream().filter(r -> r.path().equals(USERS_PATH)).toList();
    }

    private static List<RecordedRequest> memberListings() {
        return emulator().requests().stream().filter(r -> r.path().endsWith("/members")).toList();
    }

    private static String user(String local, String unit) {
        return workspace().addUser(local + "@" + GoogleFixture.DOMAIN, "First " + local, "Last " + local, unit);
    }

    /** Messages are shown to tenant admins and stored: never key material, tokens or assertions. */
    private static void assertSecretFree(DirectoryException e, Credentials credentials) {
        String message = e.getMessage();
        assertNotNull(message);
        String key = ((Credentials.Google) credentials).serviceAccountKeyJson();
        int body = key.indexOf("MII"); // start of the PKCS#8 base64
        String keyBody = key.substring(body, body + 40);
        assertFalse(message.contains("PRIVATE KEY"), message);
        assertFalse(message.contains(keyBody), message);
        assertFalse(message.contains("ya29."), message);
        assertFalse(message.contains("eyJ"), "no JWT in: " + message);
    }

    // ---------------------------------------------------------------- what the SDK sends

    @Test
    void listsUsersFiveHundredAtATimeAskingOnlyForTheFieldsItNeeds() throws Exception {
        workspace().seedUsers(1200, 7);
        Read read = read(PoolSpec.everyone());
        assertEquals(List.of(500, 500, 200), read.pages().stream().map(p -> p.users().size()).toList());
        assertEquals(1200, read.byId().size());
        List<RecordedRequest> listings = userListings();
        assertEquals(3, listings.size(), "one request per page");
        for (RecordedRequest request : listings) {
            assertEquals("500", request.query().get("maxResults"));
            assertEquals(USER_MASK, request.query().get("fields"));
            assertEquals(GoogleFixture.DOMAIN, request.query().get("domain"));
            assertFalse(request.query().containsKey("customer"));
            assertFalse(request.query().containsKey("query"));
        }
        assertEquals(3, read.requests());
    }

    @Test
    void readsPageByPageOnDemand() throws Exception {
        workspace().seedUsers(1200, 11);
        try (DirectoryConnector.PoolReader reader = connector.open(FIXTURE.credentials(), PoolSpec.everyone(),
                ReadMode.FULL, null, Instant.now().plusSeconds(30))) {
            assertEquals(0, userListings().size(), "opening a read fetches nothing");
            assertEquals(500, reader.next().users().size());
            assertEquals(1, userListings().size(), "the next page is fetched only when asked for");
            reader.next();
            assertEquals(2, userListings().size());
        }
    }

    @Test
    void usesTheCustomerWhenTheConnectionNamesOne() throws Exception {
        user("one", "/");
        Credentials byCustomer = new Credentials.Google(FIXTURE.serviceAccount().keyJson(), GoogleFixture.ADMIN,
                "my_customer", null);
        Read read = read(byCustomer, PoolSpec.everyone());
        assertEquals(2, read.userCount(), "the customer spans all its domains, the administrator's included");
        assertEquals("my_customer", userListings().get(0).query().get("customer"));
        assertFalse(userListings().get(0).query().containsKey("domain"));
    }

    // ---------------------------------------------------------------- org units and groups

    @Test
    void orgUnitPoolIncludesSubUnitsAndNothingElse() throws Exception {
        String sales = user("sales", "/Sales");
        String emea = user("emea", "/Sales/EMEA");
        String berlin = user("berlin", "/Sales/EMEA/Berlin");
        user("ops", "/SalesOps");
        user("eng", "/Engineering");
        user("root", "/");
        Read read = read(units("/Sales"));
        assertEquals(Set.of(sales, emea, berlin), read.byId().keySet());
        assertEquals(List.of("orgUnitPath='/Sales'"), userListings().stream().map(r -> r.query().get("query")).toList());
        assertEquals("500", userListings().get(0).query().get("maxResults"));
    }

    @Test
    void nestedOrOverlappingOrgUnitsAreReadOnce() throws Exception {
        String sales = user("sales", "/Sales");
        String emea = user("emea", "/Sales/EMEA");
        String support = user("support", "/Support");
        Read read = read(units("/Sales/EMEA/", "/Sales", "/Support", "/sales/emea"));
        assertEquals(3, read.userCount(), "each user once");
        assertEquals(Set.of(sales, emea, support), read.byId().keySet());
        assertEquals(List.of("orgUnitPath='/Sales'", "orgUnitPath='/Support'"),
                userListings().stream().map(r -> r.query().get("query")).toList());
    }

    @Test
    void anUnknownOrgUnitIsNotFound() {
        user("sales", "/Sales");
        DirectoryException alone = assertThrows(DirectoryException.class, () -> read(units("/Nowhere")));
        assertEquals(Kind.NOT_FOUND, alone.kind(), alone.getMessage());
        assertTrue(alone.getMessage().contains("/Nowhere"), alone.getMessage());
        String group = workspace().addGroup("g@" + GoogleFixture.DOMAIN, "G");
        DirectoryException mixed = assertThrows(DirectoryException.class, () -> read(new PoolSpec(false,
                List.of(group), List.of("/Sales", "/Nowhere"), false)));
        assertEquals(Kind.NOT_FOUND, mixed.kind(), mixed.getMessage());
        assertTrue(mixed.getMessage().contains("/Nowhere"), mixed.getMessage());
    }

    @Test
    void groupPoolExpandsNestedMembersOnceAndReadsOnlyThoseUsers() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            members.add(user("member" + i, "/"));
        }
        for (int i = 0; i < 150; i++) {
            user("outsider" + i, "/");
        }
        String outer = workspace().addGroup("outer@" + GoogleFixture.DOMAIN, "Outer");
        String inner = workspace().addGroup("inner@" + GoogleFixture.DOMAIN, "Inner");
        for (int i = 0; i < 450; i++) {
            workspace().addMember(i < 300 ? outer : inner, members.get(i));
        }
        workspace().addMember(outer, inner);
        workspace().addMember(inner, members.get(0)); // also a direct member of outer: still one user
        Read read = read(groups("outer@" + GoogleFixture.DOMAIN));
        assertEquals(Set.copyOf(members), read.byId().keySet());
        assertEquals(450, read.userCount(), "each member once");
        List<RecordedRequest> memberRequests = memberListings();
        assertEquals(3, memberRequests.size(), "451 memberships (the nested group included) at 200 per page");
        for (RecordedRequest request : memberRequests) {
            assertEquals("/admin/directory/v1/groups/outer@contract.example/members", request.path());
            assertEquals("true", request.query().get("includeDerivedMembership"));
            assertEquals("200", request.query().get("maxResults"));
            assertEquals("nextPageToken,members(id,type)", request.query().get("fields"));
        }
        assertEquals(2, userListings().size(), "one pass over the 601 users of the domain");
        assertTrue(userListings().stream().allMatch(r -> USER_MASK.equals(r.query().get("fields"))));
    }

    @Test
    void groupsAndOrgUnitsTogetherReadEachUserOnce() throws Exception {
        String member = user("member", "/Engineering");
        String both = user("both", "/Sales");
        String unitOnly = user("unit", "/Sales/EMEA");
        user("neither", "/Engineering");
        String group = workspace().addGroup("team@" + GoogleFixture.DOMAIN, "Team");
        workspace().addMember(group, member);
        workspace().addMember(group, both);
        Read read = read(new PoolSpec(false, List.of(group), List.of("/Sales"), false));
        assertEquals(Set.of(member, both, unitOnly), read.byId().keySet());
        assertEquals(3, read.userCount());
        assertTrue(userListings().stream().anyMatch(r -> "orgUnitPath='/Sales'".equals(r.query().get("query"))
                && "1".equals(r.query().get("maxResults"))), "the unit is checked to exist");
    }

    @Test
    void aGroupContainingTheCustomerMeansEveryUser() throws Exception {
        String one = user("one", "/");
        String two = user("two", "/Sales");
        String group = workspace().addGroup("everyone@" + GoogleFixture.DOMAIN, "Everyone");
        workspace().addCustomerMember(group);
        assertEquals(Set.of(one, two), read(groups(group)).byId().keySet());
    }

    @Test
    void anEmptyGroupIsAnEmptyPoolWithoutListingUsers() throws Exception {
        user("one", "/");
        String group = workspace().addGroup("empty@" + GoogleFixture.DOMAIN, "Empty");
        assertEquals(0, read(groups(group)).userCount());
        assertEquals(0, userListings().size());
    }

    @Test
    void suspendedAndArchivedUsersAreDisabledAndAllAliasesAreReported() throws Exception {
        String suspended = user("suspended", "/");
        String archived = user("archived", "/");
        String active = user("active", "/");
        workspace().setSuspended(suspended, true);
        workspace().setArchived(archived, true);
        workspace().setAliases(active, "alias@contract.example");
        workspace().setNonEditableAliases(active, "active@contract.example.test-google-a.com");
        Map<String, DirectoryUser> users = read(PoolSpec.everyone()).byId();
        assertFalse(users.get(suspended).enabled());
        assertFalse(users.get(archived).enabled());
        DirectoryUser user = users.get(active);
        assertTrue(user.enabled());
        assertEquals("active@contract.example", user.primaryEmail());
        assertEquals("First active", user.firstName());
        assertEquals("Last active", user.lastName());
        assertEquals(List.of("alias@contract.example", "active@contract.example.test-google-a.com"), user.aliases());
        assertFalse(user.guest());
    }

    // ---------------------------------------------------------------- throttling and failures

    @ParameterizedTest
    @EnumSource(value = GoogleFault.class, names = { "USER_RATE_LIMIT_EXCEEDED", "RATE_LIMIT_EXCEEDED",
        "QUOTA_EXCEEDED", "TOO_MANY_REQUESTS" })
    void throttledPagesAreRetriedWithBackOff(GoogleFault fault) throws Exception {
        for (int i = 0; i < 25; i++) {
            user("u" + i, "/");
        }
        emulator().maxPageSize(10);
        emulator().inject(new FaultRule(Target.USERS, 2, fault, 2, null));
        Read read = read(PoolSpec.everyone());
        assertEquals(25, read.byId().size());
        assertEquals(2, read.throttled());
        int throttledStatus = fault == GoogleFault.TOO_MANY_REQUESTS ? 429 : 403;
        assertEquals(List.of(200, throttledStatus, throttledStatus, 200, 200),
                userListings().stream().map(RecordedRequest::status).toList());
        assertEquals(5, read.requests());
    }

    @Test
    void aRetryAfterOnA429IsHonoured() throws Exception {
        for (int i = 0; i < 15; i++) {
            user("u" + i, "/");
        }
        emulator().maxPageSize(10);
        emulator().inject(FaultRule.once(Target.USERS, 2, GoogleFault.TOO_MANY_REQUESTS).withRetryAfter(1));
        Read read = read(PoolSpec.everyone());
        assertEquals(15, read.byId().size());
        assertEquals(1, read.throttled());
    }

    @Test
    void serverErrorsAreRetriedAFewTimesThenFailTheRead() throws Exception {
        for (int i = 0; i < 25; i++) {
            user("u" + i, "/");
        }
        emulator().maxPageSize(10);
        emulator().inject(FaultRule.once(Target.USERS, 2, GoogleFault.SERVICE_UNAVAILABLE));
        Read recovered = read(PoolSpec.everyone());
        assertEquals(25, recovered.byId().size());
        assertEquals(0, recovered.throttled(), "an outage is not throttling");
        assertEquals(List.of(200, 503, 200, 200), userListings().stream().map(RecordedRequest::status).toList());

        emulator().clearRequestLog();
        emulator().inject(FaultRule.forever(Target.USERS, 2, GoogleFault.SERVER_ERROR));
        DirectoryException e = assertThrows(DirectoryException.class, () -> read(PoolSpec.everyone()));
        assertEquals(Kind.PROVIDER_ERROR, e.kind());
        assertTrue(e.getMessage().contains("500 backendError: Internal error encountered."), e.getMessage());
        assertEquals(List.of(200, 500, 500, 500, 500), userListings().stream().map(RecordedRequest::status).toList(),
                "four attempts of the failing page, then the read ends");
        assertSecretFree(e, FIXTURE.credentials());
    }

    @Test
    void aResetConnectionIsRetried() throws Exception {
        for (int i = 0; i < 25; i++) {
            user("u" + i, "/");
        }
        emulator().maxPageSize(10);
        emulator().inject(FaultRule.once(Target.USERS, 2, GoogleFault.CONNECTION_RESET));
        assertEquals(25, read(PoolSpec.everyone()).byId().size());
        assertTrue(userListings().stream().anyMatch(r -> r.status() == 0), "the connection was dropped once");
    }

    @Test
    void aTokenEndpointOutageIsRetried() throws Exception {
        user("one", "/");
        emulator().inject(FaultRule.once(Target.TOKEN, 0, GoogleFault.SERVICE_UNAVAILABLE));
        assertEquals(1, read(PoolSpec.everyone()).userCount());
        assertEquals(2, emulator().tokenRequests());
    }

    // ---------------------------------------------------------------- credentials and delegation

    @Test
    void missingDomainWideDelegationIsAPermissionErrorThatSaysWhatToAuthorise() {
        user("one", "/");
        ServiceAccount account = GoogleFixture.serviceAccount();
        workspace().revokeDelegation(account.clientId());
        DirectoryException read = assertThrows(DirectoryException.class, () -> read(PoolSpec.everyone()));
        assertEquals(Kind.PERMISSION, read.kind(), read.getMessage());
        assertTrue(read.getMessage().contains("unauthorized_client"), read.getMessage());
        assertTrue(read.getMessage().contains("Domain-wide delegation"), read.getMessage());
        assertTrue(read.getMessage().contains(account.clientId()), read.getMessage());
        assertTrue(read.getMessage().contains(GoogleSession.USER_SCOPE), read.getMessage());
        assertSecretFree(read, FIXTURE.credentials());
        DirectoryException test = assertThrows(DirectoryException.class,
                () -> connector.testConnection(FIXTURE.credentials(), Instant.now().plusSeconds(30)));
        assertEquals(Kind.PERMISSION, test.kind());
        assertEquals(0, emulator().listRequests(), "no directory request without a token");
    }

    @Test
    void theGroupMemberScopeIsRequestedOnlyForGroupPools() throws Exception {
        String sales = user("sales", "/Sales");
        String group = workspace().addGroup("team@" + GoogleFixture.DOMAIN, "Team");
        workspace().addMember(group, sales);
        ServiceAccount account = GoogleFixture.serviceAccount();
        workspace().revokeDelegation(account.clientId());
        workspace().authorizeDelegation(account.clientId(), List.of(GoogleSession.USER_SCOPE));
        assertEquals(1, read(PoolSpec.everyone()).userCount());
        assertEquals(1, read(units("/Sales")).userCount());
        DirectoryException e = assertThrows(DirectoryException.class, () -> read(groups(group)));
        assertEquals(Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains(GoogleSession.MEMBER_SCOPE), e.getMessage());
    }

    @Test
    void aSubjectWhoIsNotAnAdministratorIsRefused() {
        user("plain", "/");
        Credentials notAdmin = new Credentials.Google(FIXTURE.serviceAccount().keyJson(),
                "plain@" + GoogleFixture.DOMAIN, null, GoogleFixture.DOMAIN);
        DirectoryException e = assertThrows(DirectoryException.class, () -> read(notAdmin, PoolSpec.everyone()));
        assertEquals(Kind.PERMISSION, e.kind());
        assertTrue(e.getMessage().contains("403 forbidden: Not Authorized to access this resource/api"),
                e.getMessage());
        assertTrue(e.getMessage().contains("plain@contract.example must be an administrator"), e.getMessage());
    }

    @Test
    void anUnknownSubjectOrADeletedKeyIsAnAuthenticationError() {
        Credentials nobody = new Credentials.Google(FIXTURE.serviceAccount().keyJson(), "nobody@contract.example",
                null, GoogleFixture.DOMAIN);
        DirectoryException subject = assertThrows(DirectoryException.class, () -> read(nobody, PoolSpec.everyone()));
        assertEquals(Kind.AUTHENTICATION, subject.kind());
        assertTrue(subject.getMessage().contains("invalid_grant: Invalid email or User ID"), subject.getMessage());
        assertTrue(subject.getMessage().contains("nobody@contract.example"), subject.getMessage());

        ServiceAccount account = GoogleFixture.serviceAccount();
        workspace().deleteKey(account.clientEmail(), account.keyId());
        DirectoryException key = assertThrows(DirectoryException.class, () -> read(PoolSpec.everyone()));
        assertEquals(Kind.AUTHENTICATION, key.kind());
        assertTrue(key.getMessage().contains("Invalid JWT Signature"), key.getMessage());
        assertSecretFree(key, FIXTURE.credentials());
    }

    @Test
    void anUnreadableKeyOrAnUnknownCustomerIsAConfigurationError() {
        Credentials garbage = new Credentials.Google("{\"type\":\"service_account\",\"client_email\":"
                + "\"sa@p.iam.gserviceaccount.com\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nabc\\n"
                + "-----END PRIVATE KEY-----\\n\"}", GoogleFixture.ADMIN, null, GoogleFixture.DOMAIN);
        DirectoryException key = assertThrows(DirectoryException.class, () -> read(garbage, PoolSpec.everyone()));
        assertEquals(Kind.CONFIGURATION, key.kind());
        assertFalse(key.getMessage().contains("abc"), key.getMessage());
        Credentials customer = new Credentials.Google(FIXTURE.serviceAccount().keyJson(), GoogleFixture.ADMIN,
                "C0unknown", null);
        DirectoryException e = assertThrows(DirectoryException.class,
                () -> connector.testConnection(customer, Instant.now().plusSeconds(30)));
        assertEquals(Kind.CONFIGURATION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("customer id or domain"), e.getMessage());
    }

    @Test
    void testConnectionObtainsATokenAndDescribesOneUser() throws Exception {
        user("probe", "/");
        String result = connector.testConnection(FIXTURE.credentials(), Instant.now().plusSeconds(30));
        assertTrue(result.contains("read user probe@contract.example"), result);
        assertTrue(result.contains(FIXTURE.serviceAccount().clientEmail() + " as " + GoogleFixture.ADMIN), result);
        RecordedRequest request = userListings().get(0);
        assertEquals("1", request.query().get("maxResults"));
        assertEquals("users(primaryEmail)", request.query().get("fields"));
    }

    @Test
    void theKeyFilesTokenUriAndUniverseDomainAreIgnored() throws Exception {
        user("one", "/");
        try (GoogleEmulator elsewhere = GoogleEmulator.start(0, "elsewhere.example")) {
            String key = FIXTURE.serviceAccount().keyJson(elsewhere.tokenUri(), "elsewhere.example");
            assertTrue(key.contains(elsewhere.tokenUri()));
            Credentials credentials = new Credentials.Google(key, GoogleFixture.ADMIN, null, GoogleFixture.DOMAIN);
            assertEquals(1, read(credentials, PoolSpec.everyone()).userCount());
            assertTrue(connector.testConnection(credentials, Instant.now().plusSeconds(30)).contains("read user"));
            assertEquals(0, elsewhere.tokenRequests(), "nothing was sent to the key file's token_uri");
            assertTrue(elsewhere.requests().isEmpty());
            assertEquals(2, emulator().tokenRequests(), "tokens came from the configured endpoint");
        }
    }

    @Test
    void theDemoWorkspaceSyncsWithItsOwnGeneratedKey() throws Exception {
        DemoWorkspace.Connection demo = DemoWorkspace.load(emulator());
        Credentials credentials = new Credentials.Google(demo.serviceAccountKeyJson(), demo.adminSubject(),
                "my_customer", null);
        Map<String, DirectoryUser> everyone = read(credentials, PoolSpec.everyone()).byId();
        assertEquals(10, everyone.size(), "nine users and the administrator");
        assertEquals(2, everyone.values().stream().filter(u -> !u.enabled()).count(), "one suspended, one archived");
        Read staff = read(credentials, groups("all-staff@acme.example"));
        assertEquals(7, staff.userCount(), "two nested groups and one direct member");
        assertEquals(3, read(credentials, units("/Sales")).userCount(), "/Sales and /Sales/EMEA");
        assertTrue(demo.createConnectionBody().contains("\"provider\" : \"GOOGLE\""), demo.createConnectionBody());
        assertFalse(demo.toString().contains("PRIVATE KEY"));
    }
}
