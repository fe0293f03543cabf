package io.usersync.sync.m365;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.emulator.graph.DemoDataset;
import io.usersync.emulator.graph.GraphFault;
import io.usersync.emulator.graph.GraphTenant;
import io.usersync.emulator.graph.GraphUser;
import io.usersync.emulator.graph.SelfSignedCertificate;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryPage;
import io.usersync.sync.port.DirectoryUser;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.ReadMode;
import io.usersync.testing.GraphEmulatorResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Microsoft 365 specifics of the connector, through the real SDKs against the emulator. */
@QuarkusTest
class M365ConnectorTest {

    @Inject
    M365Connector connector;

    private final GraphFixture fixture = new GraphFixture();
    private final GraphTenant tenant = fixture.tenant();

    private record Read(List<DirectoryUser> users, int pages, String deltaToken, long throttled) {
        Map<String, DirectoryUser> byId() {
            Map<String, DirectoryUser> map = new HashMap<>();
            users.forEach(u -> map.put(u.externalId(), u));
            return map;
        }
    }

    private Read read(Credentials credentials, PoolSpec pool, ReadMode mode, String token) throws DirectoryException {
        List<DirectoryUser> users = new ArrayList<>();
        int pages = 0;
        try (DirectoryConnector.PoolReader reader = connector.open(credentials, pool, mode, token,
                Instant.now().plus(Duration.ofSeconds(30)))) {
            DirectoryPage page;
            while ((page = reader.next()) != null) {
                users.addAll(page.users());
                pages++;
            }
            return new Read(users, pages, reader.deltaToken(), reader.throttled());
        }
    }

    private Read full() throws DirectoryException {
        return read(fixture.credentials(), PoolSpec.everyone(), ReadMode.FULL, null);
    }

    @Test
    void asksForOnlyTheNeededFieldsAndFullPages() throws Exception {
        String member = tenant.addUser(GraphUser.member("sel@m365.example", "Sel", "Ect"));
        String group = tenant.addGroup("g");
        tenant.addMember(group, member);
        read(fixture.credentials(), new PoolSpec(false, List.of(group), List.of(), false), ReadMode.FULL, null);
        full();
        Set<String> expected = Set.of("id", "userPrincipalName", "mail", "givenName", "surname", "accountEnabled",
                "userType", "proxyAddresses", "otherMails");
        GraphTenant.RecordedRequest members = tenant.requests().stream()
                .filter(r -> r.path().endsWith("/transitiveMembers/graph.user")).findFirst().orElseThrow();
        assertEquals("999", members.query().get("$top"));
        assertEquals(expected, Set.of(members.query().get("$select").split(",")));
        GraphTenant.RecordedRequest delta = tenant.requests().stream()
                .filter(r -> r.path().contains("/users/delta")).findFirst().orElseThrow();
        assertEquals(expected, Set.of(delta.query().get("$select").split(",")));
        assertEquals("odata.maxpagesize=999", delta.prefer());
        assertNull(delta.query().get("$top"), "users/delta does not support $top; the page size is a preference");
    }

    @Test
    void aDeltaRoundReturnsOnlyChangesIncludingRemovals() throws Exception {
        String stays = tenant.addUser(GraphUser.member("stays@m365.example", "Stays", "Same"));
        String renamed = tenant.addUser(GraphUser.member("old@m365.example", "Re", "Named"));
        String disabled = tenant.addUser(GraphUser.member("off@m365.example", "Dis", "Abled"));
        String softDeleted = tenant.addUser(GraphUser.member("soft@m365.example", "Soft", "Deleted"));
        String hardDeleted = tenant.addUser(GraphUser.member("hard@m365.example", "Hard", "Deleted"));
        tenant.maxPageSize(2);
        Read initial = full();
        assertEquals(5, initial.users().size());
        assertEquals(3, initial.pages(), "the initial round pages like any listing");
        assertNotNull(initial.deltaToken(), "a full read of all users ends with a deltaLink");

        tenant.rename(renamed, "new@m365.example");
        tenant.disable(disabled);
        tenant.deleteUser(softDeleted);
        tenant.deleteUserPermanently(hardDeleted);
        String added = tenant.addUser(GraphUser.member("added@m365.example", "Ad", "Ded"));

        Read changes = read(fixture.credentials(), PoolSpec.everyone(), ReadMode.DELTA, initial.deltaToken());
        Map<String, DirectoryUser> byId = changes.byId();
        assertEquals(Set.of(renamed, disabled, softDeleted, hardDeleted, added), byId.keySet());
        assertFalse(byId.containsKey(stays));
        assertEquals("new@m365.example", byId.get(renamed).primaryEmail());
        assertFalse(byId.get(disabled).enabled());
        assertTrue(byId.get(softDeleted).removed(), "@removed (reason changed) is a removal");
        assertTrue(byId.get(hardDeleted).removed(), "@removed (reason deleted) is a removal");
        assertFalse(byId.get(added).removed());
        assertNotNull(changes.deltaToken());

        Read nothing = read(fixture.credentials(), PoolSpec.everyone(), ReadMode.DELTA, changes.deltaToken());
        assertTrue(nothing.users().isEmpty(), "the new deltaLink starts after the changes: " + nothing.users());
    }

    @Test
    void anExpiredOrForeignDeltaLinkAsksForAFullRead() throws Exception {
        tenant.addUser(GraphUser.member("x@m365.example", "X", "Y"));
        String token = full().deltaToken();
        tenant.expireDeltaTokens();
        DirectoryException gone = assertThrows(DirectoryException.class,
                () -> read(fixture.credentials(), PoolSpec.everyone(), ReadMode.DELTA, token));
        assertEquals(DirectoryException.Kind.DELTA_EXPIRED, gone.kind(), gone.getMessage());
        assertTrue(gone.getMessage().contains("410") && gone.getMessage().contains("syncStateNotFound"),
                gone.getMessage());
        DirectoryException foreign = assertThrows(DirectoryException.class, () -> read(fixture.credentials(),
                PoolSpec.everyone(), ReadMode.DELTA, "https://attacker.example/v1.0/users/delta()?$deltatoken=x"));
        assertEquals(DirectoryException.Kind.DELTA_EXPIRED, foreign.kind(), "a foreign link is never followed: "
                + foreign.getMessage());
    }

    @Test
    void reportsGuestsEmailFallbackAndSmtpAliasesOnly() throws Exception {
        String invited = tenant.addGuest("pat@partner.example", "Pat", "Partner");
        String extOnly = tenant.addUser(new GraphUser("sam_other.example#EXT#@" + tenant.domain(), "sam@other.example",
                "Sam", "Ext", true, "Member", List.of(), List.of()));
        String noMailbox = tenant.addUser(new GraphUser("upn.only@m365.example", null, "Upn", "Only", true, "Member",
                List.of(), List.of()));
        String aliased = tenant.addUser(GraphUser.member("main@m365.example", "Al", "Ias")
                .withProxyAddresses("SMTP:main@m365.example", "smtp:Second@M365.example",
                        "X500:/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=abc", "SIP:main@m365.example")
                .withOtherMails("private@home.example"));
        Map<String, DirectoryUser> users = full().byId();
        assertTrue(users.get(invited).guest(), "userType Guest");
        assertTrue(users.get(extOnly).guest(), "#EXT# in the UPN marks a guest even without userType");
        assertFalse(users.get(noMailbox).guest());
        assertEquals("upn.only@m365.example", users.get(noMailbox).primaryEmail(), "no mail: the UPN is the email");
        assertEquals(List.of("main@m365.example", "Second@M365.example", "private@home.example"),
                users.get(aliased).aliases(), "SMTP proxy addresses without prefix, then otherMails; X500/SIP ignored");
    }

    @Test
    void retriesAfterServiceUnavailableGatewayTimeoutAndOneServerError() throws Exception {
        for (int i = 0; i < 25; i++) {
            tenant.addUser(GraphUser.member("r" + i + "@m365.example", "R", "U" + i));
        }
        tenant.maxPageSize(10);
        tenant.failAtPage(1, GraphFault.SERVICE_UNAVAILABLE, 1, 1);
        tenant.failAtPage(2, GraphFault.GATEWAY_TIMEOUT, 1, 1);
        tenant.failAtPage(3, GraphFault.SERVER_ERROR, 1, null);
        Read read = full();
        assertEquals(25, read.users().size());
        assertEquals(2, read.throttled(), "the 503 and the 504 are counted as throttled");
        assertEquals(2, tenant.throttledResponses());
        // 3 pages + 3 retried requests
        assertEquals(6, tenant.listRequests());
        assertEquals(1, tenant.tokenRequests(), "one token serves the whole read");
    }

    @Test
    void aRetryAfterBeyondTheDeadlineFailsAsThrottledWithoutWaiting() {
        tenant.addUser(GraphUser.member("late@m365.example", "La", "Te"));
        tenant.failAtPage(1, GraphFault.TOO_MANY_REQUESTS, -1, 3600);
        Instant started = Instant.now();
        DirectoryException e = assertThrows(DirectoryException.class, this::full);
        assertEquals(DirectoryException.Kind.THROTTLED, e.kind(), e.getMessage());
        assertEquals(1, tenant.listRequests(), "no retry when the advised wait ends after the deadline");
        assertTrue(Duration.between(started, Instant.now()).toSeconds() < 30);
    }

    @Test
    void certificateCredentialsObtainTokensWithASignedClientAssertion() throws Exception {
        SelfSignedCertificate registered = SelfSignedCertificate.generate("usersync test app", Duration.ofDays(2));
        String clientId = UUID.randomUUID().toString();
        tenant.registerCertificateApp(clientId, registered.certificate());
        String id = tenant.addUser(GraphUser.member("cert@m365.example", "Cert", "User"));
        Credentials.M365 good = new Credentials.M365(tenant.tenantId(), clientId, null, registered.certificatePem(),
                registered.privateKeyPem());
        assertEquals(Set.of(id), read(good, PoolSpec.everyone(), ReadMode.FULL, null).byId().keySet());
        assertTrue(connector.testConnection(good, Instant.now().plusSeconds(30)).contains("cert@m365.example"));

        SelfSignedCertificate other = SelfSignedCertificate.generate("someone else", Duration.ofDays(2));
        Credentials.M365 wrongKey = new Credentials.M365(tenant.tenantId(), clientId, null,
                registered.certificatePem(), other.privateKeyPem());
        DirectoryException e = assertThrows(DirectoryException.class,
                () -> connector.testConnection(wrongKey, Instant.now().plusSeconds(30)));
        assertEquals(DirectoryException.Kind.AUTHENTICATION, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("AADSTS700027"), e.getMessage());
        assertFalse(e.getMessage().contains("PRIVATE KEY"));
    }

    @Test
    void missingPermissionAndUnknownTenantAreReportedClearly() {
        tenant.addUser(GraphUser.member("p@m365.example", "P", "Q"));
        tenant.revokeDirectoryRead(fixture.clientId());
        DirectoryException denied = assertThrows(DirectoryException.class, this::full);
        assertEquals(DirectoryException.Kind.PERMISSION, denied.kind(), denied.getMessage());
        assertTrue(denied.getMessage().contains("Authorization_RequestDenied"), denied.getMessage());

        Credentials.M365 unknownTenant = new Credentials.M365(UUID.randomUUID().toString(), fixture.clientId(),
                GraphFixture.SECRET, null, null);
        DirectoryException unknown = assertThrows(DirectoryException.class,
                () -> connector.testConnection(unknownTenant, Instant.now().plusSeconds(30)));
        assertEquals(DirectoryException.Kind.AUTHENTICATION, unknown.kind(), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("AADSTS90002"), unknown.getMessage());
        assertFalse(unknown.getMessage().contains(GraphFixture.SECRET));
    }

    @Test
    void theDemoDatasetReadsAsDocumented() throws Exception {
        DemoDataset demo = GraphEmulatorResource.emulator().loadDemoDataset();
        Credentials.M365 credentials = new Credentials.M365(DemoDataset.TENANT_ID, DemoDataset.CLIENT_ID,
                DemoDataset.CLIENT_SECRET, null, null);
        List<DirectoryUser> everyone = read(credentials, PoolSpec.everyone(), ReadMode.FULL, null).users();
        assertEquals(13, everyone.size());
        assertEquals(1, everyone.stream().filter(DirectoryUser::guest).count());
        assertEquals(1, everyone.stream().filter(u -> !u.enabled()).count());
        assertTrue(everyone.stream().anyMatch(u -> u.primaryEmail().equals("radia.perlman@" + DemoDataset.DOMAIN)
                && u.aliases().equals(List.of("radia@personal.example"))));
        Read staff = read(credentials, new PoolSpec(false, List.of(demo.allStaff()), List.of(), false), ReadMode.FULL,
                null);
        assertEquals(12, staff.users().size(), "All Staff includes Engineering (nested) but not the guest");
        assertNull(staff.deltaToken(), "group pools have no delta");
    }
}
