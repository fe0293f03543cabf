package io.usersync.sync.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.sync.port.DirectoryFixture.Fault;
import io.usersync.sync.port.DirectoryFixture.UserSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DirectoryConnector} must do, whatever the provider: read the whole pool page by page through
 * the provider's SDK, report the facts the engine judges (enabled, guest, aliases), follow nested groups, and
 * end a read it cannot complete with a {@link DirectoryException} of the right kind. Subclassed once per
 * adapter (a {@code @QuarkusTest} that injects the adapter and scripts its emulator).
 */
public abstract class DirectoryConnectorContract {

    protected abstract DirectoryConnector connector();

    protected abstract DirectoryFixture fixture();

    @BeforeEach
    void resetDirectory() {
        fixture().reset();
    }

    protected Instant deadline() {
        return Instant.now().plus(Duration.ofSeconds(30));
    }

    /** Everything one read returns, in order. */
    protected record Read(List<DirectoryPage> pages, String deltaToken, long requests, long throttled) {
        List<DirectoryUser> users() {
            return pages.stream().flatMap(p -> p.users().stream()).toList();
        }

        Map<String, DirectoryUser> byId() {
            Map<String, DirectoryUser> map = new HashMap<>();
            users().forEach(u -> map.put(u.externalId(), u));
            return map;
        }
    }

    protected Read readAll(PoolSpec pool) throws DirectoryException {
        return readAll(pool, deadline());
    }

    protected Read readAll(PoolSpec pool, Instant deadline) throws DirectoryException {
        List<DirectoryPage> pages = new ArrayList<>();
        try (DirectoryConnector.PoolReader reader = connector().open(fixture().credentials(), pool, ReadMode.FULL,
                null, deadline)) {
            DirectoryPage page;
            while ((page = reader.next()) != null) {
                pages.add(page);
            }
            return new Read(pages, reader.deltaToken(), reader.requests(), reader.throttled());
        }
    }

    private List<String> addUsers(int count, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(fixture().addUser(UserSpec.active(prefix + i + "@contract.example", "First" + i, "Last" + i)));
        }
        return ids;
    }

    @Test
    void readsEveryUserOfTheDirectoryAcrossPages() throws Exception {
        List<String> ids = addUsers(25, "user");
        fixture().maxPageSize(10);
        Read read = readAll(PoolSpec.everyone());
        assertEquals(3, read.pages().size(), "25 users at 10 per page");
        for (int i = 0; i < read.pages().size(); i++) {
            assertEquals(i + 1, read.pages().get(i).number(), "pages are numbered from 1 in order");
        }
        assertEquals(Set.copyOf(ids), read.byId().keySet());
        assertEquals(25, read.users().size(), "each user once");
        DirectoryUser first = read.byId().get(ids.get(0));
        assertEquals("user0@contract.example", first.primaryEmail().toLowerCase(Locale.ROOT));
        assertEquals("First0", first.firstName());
        assertEquals("Last0", first.lastName());
        assertTrue(first.enabled());
        assertFalse(first.guest());
        assertFalse(first.removed());
        assertTrue(read.requests() >= 3, "at least one request per page");
    }

    @Test
    void reportsDisabledUsersGuestsAndAliases() throws Exception {
        String disabled = fixture().addUser(UserSpec.active("off@contract.example", "Off", "User").disabled());
        String aliased = fixture().addUser(UserSpec.active("main@contract.example", "Main", "User")
                .withAliases("Other@Contract.example", "second@alias.example"));
        String guest = fixture().supportsGuests()
                ? fixture().addUser(UserSpec.active("guest@partner.example", "Guest", "User").asGuest()) : null;
        Map<String, DirectoryUser> users = readAll(PoolSpec.everyone()).byId();
        assertFalse(users.get(disabled).enabled(), "disabled / suspended users are reported as not enabled");
        Set<String> aliases = new HashSet<>();
        users.get(aliased).aliases().forEach(a -> aliases.add(a.toLowerCase(Locale.ROOT)));
        assertTrue(aliases.containsAll(Set.of("other@contract.example", "second@alias.example")),
                "aliases are reported: " + aliases);
        if (guest != null) {
            assertTrue(users.get(guest).guest(), "guests are reported as guests");
            assertFalse(users.get(aliased).guest());
        }
    }

    @Test
    void groupPoolFollowsNestedGroups() throws Exception {
        String direct = fixture().addUser(UserSpec.active("direct@contract.example", "Direct", "Member"));
        String nested = fixture().addUser(UserSpec.active("nested@contract.example", "Nested", "Member"));
        fixture().addUser(UserSpec.active("outsider@contract.example", "Out", "Sider"));
        String outer = fixture().addGroup("outer");
        String inner = fixture().addGroup("inner");
        fixture().addMember(outer, direct);
        fixture().addMember(outer, inner);
        fixture().addMember(inner, nested);
        Read read = readAll(new PoolSpec(false, List.of(outer), List.of(), false));
        assertEquals(Set.of(direct, nested), read.byId().keySet());
    }

    @Test
    void aFaultAtAnyPageFailsTheRead() {
        addUsers(30, "fault");
        for (Fault fault : List.of(Fault.SERVER_ERROR, Fault.MALFORMED_JSON, Fault.CONNECTION_RESET)) {
            for (int page = 1; page <= 3; page++) {
                fixture().reset();
                addUsers(30, "fault");
                fixture().maxPageSize(10);
                fixture().failAtPage(page, fault);
                int failingPage = page;
                DirectoryException e = assertThrows(DirectoryException.class,
                        () -> readAll(PoolSpec.everyone(), Instant.now().plusSeconds(20)),
                        () -> fault + " at page " + failingPage + " must fail the read");
                DirectoryException.Kind expected = switch (fault) {
                    case SERVER_ERROR -> DirectoryException.Kind.PROVIDER_ERROR;
                    case MALFORMED_JSON -> DirectoryException.Kind.MALFORMED_RESPONSE;
                    case CONNECTION_RESET -> DirectoryException.Kind.NETWORK;
                    case THROTTLE_FOREVER -> DirectoryException.Kind.THROTTLED;
                };
                assertEquals(expected, e.kind(), () -> fault + " at page " + failingPage + ": " + e.getMessage());
                assertNotNull(e.getMessage());
            }
        }
    }

    @Test
    void endlessThrottlingEndsAtTheDeadline() {
        addUsers(15, "throttle");
        fixture().maxPageSize(10);
        fixture().failAtPage(2, Fault.THROTTLE_FOREVER);
        Instant started = Instant.now();
        DirectoryException e = assertThrows(DirectoryException.class,
                () -> readAll(PoolSpec.everyone(), Instant.now().plusSeconds(4)));
        assertTrue(e.kind() == DirectoryException.Kind.THROTTLED || e.kind() == DirectoryException.Kind.TIMEOUT,
                e.kind() + ": " + e.getMessage());
        assertTrue(Duration.between(started, Instant.now()).toSeconds() < 20,
                "the read gives up at its deadline instead of waiting forever");
    }

    @Test
    void aThrottledPageIsRetriedAfterTheAdvisedDelay() throws Exception {
        List<String> ids = addUsers(25, "retry");
        fixture().maxPageSize(10);
        fixture().throttleOnceAtPage(2, 1);
        Read read = readAll(PoolSpec.everyone());
        assertEquals(Set.copyOf(ids), read.byId().keySet());
        assertTrue(read.throttled() >= 1, "the throttled request is counted");
    }

    @Test
    void testConnectionReadsOneUserAndRefusesWrongCredentialsWithoutLeakingThem() throws Exception {
        fixture().addUser(UserSpec.active("probe@contract.example", "Probe", "User"));
        String ok = connector().testConnection(fixture().credentials(), deadline());
        assertTrue(ok.toLowerCase(Locale.ROOT).contains("probe@contract.example"), ok);
        Credentials wrong = fixture().wrongCredentials();
        DirectoryException e = assertThrows(DirectoryException.class,
                () -> connector().testConnection(wrong, deadline()));
        assertEquals(DirectoryException.Kind.AUTHENTICATION, e.kind(), e.getMessage());
        String secret = switch (wrong) {
            case Credentials.M365 m -> m.clientSecret() == null ? m.privateKeyPem() : m.clientSecret();
            case Credentials.Google g -> g.serviceAccountKeyJson();
        };
        assertFalse(e.getMessage().contains(secret), "the error message must not contain the secret");
    }

    @Test
    void anUnknownGroupIsReportedAsNotFound() {
        fixture().addUser(UserSpec.active("someone@contract.example", "Some", "One"));
        DirectoryException e = assertThrows(DirectoryException.class, () -> readAll(new PoolSpec(false,
                List.of(fixture().missingGroupId()), List.of(), false)));
        assertEquals(DirectoryException.Kind.NOT_FOUND, e.kind(), e.getMessage());
    }
}
