package io.usersync.sync.google;

import io.usersync.emulator.google.FaultRule;
import io.usersync.emulator.google.GoogleEmulator;
import io.usersync.emulator.google.GoogleFault;
import io.usersync.emulator.google.GoogleWorkspace;
import io.usersync.emulator.google.ServiceAccount;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryFixture;
import io.usersync.testing.GoogleEmulatorResource;
import java.util.List;

/**
 * {@link DirectoryFixture} over the Google emulator. The connection lists the users of the domain
 * {@code contract.example}; the administrator it impersonates lives in another domain of the same customer, so
 * the directory a test builds is exactly what the pool holds. "Disabled" is Google's suspension; throttling is
 * Google's 403 {@code userRateLimitExceeded} (once) or 429 (for ever), neither with {@code Retry-After}.
 */
public final class GoogleFixture implements DirectoryFixture {

    public static final String DOMAIN = "contract.example";
    public static final String ADMIN = "admin@admins.contract-ops.example";
    public static final List<String> SCOPES = List.of(GoogleSession.USER_SCOPE, GoogleSession.MEMBER_SCOPE);

    /** One key pair per JVM: generating RSA keys is slow, and the emulator forgets them on reset. */
    private static ServiceAccount account;

    public static synchronized ServiceAccount serviceAccount() {
        if (account == null) {
            account = ServiceAccount.generate("usersync-test", "usersync-tests");
        }
        return account;
    }

    public GoogleEmulator emulator() {
        return GoogleEmulatorResource.emulator();
    }

    public GoogleWorkspace workspace() {
        return emulator().workspace();
    }

    @Override
    public void reset() {
        emulator().reset();
        workspace().addAdmin(ADMIN, "Contract", "Admin");
        workspace().registerKey(serviceAccount());
        workspace().authorizeDelegation(serviceAccount().clientId(), SCOPES);
    }

    @Override
    public String addUser(UserSpec user) {
        String id = workspace().addUser(user.email(), user.firstName(), user.lastName());
        apply(id, user);
        return id;
    }

    @Override
    public void updateUser(String id, UserSpec user) {
        workspace().setPrimaryEmail(id, user.email());
        workspace().setName(id, user.firstName(), user.lastName());
        apply(id, user);
    }

    private void apply(String id, UserSpec user) {
        workspace().setAliases(id, user.aliases().toArray(String[]::new));
        workspace().setSuspended(id, !user.enabled());
    }

    @Override
    public void deleteUser(String id) {
        workspace().deleteUser(id);
    }

    @Override
    public String addGroup(String name) {
        return workspace().addGroup(name + "@" + DOMAIN, name);
    }

    @Override
    public String missingGroupId() {
        return "03emuzzzzzzzzzz";
    }

    @Override
    public void addMember(String groupId, String memberId) {
        workspace().addMember(groupId, memberId);
    }

    @Override
    public void maxPageSize(int size) {
        emulator().maxPageSize(size);
    }

    @Override
    public void failAtPage(int page, Fault fault) {
        GoogleFault google = switch (fault) {
            case SERVER_ERROR -> GoogleFault.SERVER_ERROR;
            case MALFORMED_JSON -> GoogleFault.MALFORMED_JSON;
            case CONNECTION_RESET -> GoogleFault.CONNECTION_RESET;
            case THROTTLE_FOREVER -> GoogleFault.TOO_MANY_REQUESTS;
        };
        emulator().inject(FaultRule.forever(FaultRule.Target.ANY_LISTING, page, google));
    }

    @Override
    public void throttleOnceAtPage(int page, int retryAfterSeconds) {
        // Google sends no Retry-After with its 403 rate-limit errors: the adapter backs off on its own.
        emulator().inject(FaultRule.once(FaultRule.Target.ANY_LISTING, page, GoogleFault.USER_RATE_LIMIT_EXCEEDED));
    }

    @Override
    public Credentials credentials() {
        return new Credentials.Google(serviceAccount().keyJson(), ADMIN, null, DOMAIN);
    }

    /** The same service account signing with a key Google does not know (deleted, or from another project). */
    @Override
    public Credentials wrongCredentials() {
        return new Credentials.Google(serviceAccount().withUnregisteredKey().keyJson(), ADMIN, null, DOMAIN);
    }

    @Override
    public int listRequests() {
        return emulator().listRequests();
    }

    @Override
    public boolean supportsGuests() {
        return false;
    }
}
