package io.usersync.sync.m365;

import io.usersync.emulator.graph.GraphFault;
import io.usersync.emulator.graph.GraphTenant;
import io.usersync.emulator.graph.GraphUser;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryFixture;
import io.usersync.testing.GraphEmulatorResource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@link DirectoryFixture} over the Graph emulator: one emulated tenant of its own with a registered app (client
 * secret). Aliases go alternately to {@code proxyAddresses} (as {@code smtp:}) and {@code otherMails}, so both
 * sources are exercised; guests are created as invitations create them ({@code #EXT#} UPN, {@code Guest}).
 */
public final class GraphFixture implements DirectoryFixture {

    public static final String SECRET = "emulator-secret-" + UUID.randomUUID();

    private final GraphTenant tenant;
    private final String clientId = UUID.randomUUID().toString();

    public GraphFixture() {
        String tenantId = UUID.randomUUID().toString();
        tenant = GraphEmulatorResource.emulator().createTenant(tenantId, "t" + tenantId.substring(0, 8)
                + ".onmicrosoft.com");
        tenant.registerSecretApp(clientId, SECRET);
    }

    public GraphTenant tenant() {
        return tenant;
    }

    public String clientId() {
        return clientId;
    }

    static GraphUser toGraph(UserSpec spec, String domain) {
        List<String> proxies = new ArrayList<>();
        List<String> others = new ArrayList<>();
        proxies.add("SMTP:" + spec.email());
        for (int i = 0; i < spec.aliases().size(); i++) {
            if (i % 2 == 0) {
                proxies.add("smtp:" + spec.aliases().get(i));
            } else {
                others.add(spec.aliases().get(i));
            }
        }
        GraphUser user = spec.guest() ? GraphUser.guest(spec.email(), domain, spec.firstName(), spec.lastName())
                : GraphUser.member(spec.email(), spec.firstName(), spec.lastName());
        return user.withAccountEnabled(spec.enabled()).withProxyAddresses(proxies.toArray(String[]::new))
                .withOtherMails(others.toArray(String[]::new));
    }

    @Override
    public void reset() {
        tenant.reset();
    }

    @Override
    public String addUser(UserSpec user) {
        return tenant.addUser(toGraph(user, tenant.domain()));
    }

    @Override
    public void updateUser(String id, UserSpec user) {
        tenant.updateUser(id, ignored -> toGraph(user, tenant.domain()));
    }

    @Override
    public void deleteUser(String id) {
        tenant.deleteUser(id);
    }

    @Override
    public String addGroup(String name) {
        return tenant.addGroup(name);
    }

    @Override
    public String missingGroupId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void addMember(String groupId, String memberId) {
        tenant.addMember(groupId, memberId);
    }

    @Override
    public void maxPageSize(int size) {
        tenant.maxPageSize(size);
    }

    @Override
    public void failAtPage(int page, Fault fault) {
        switch (fault) {
            case SERVER_ERROR -> tenant.failAtPage(page, GraphFault.SERVER_ERROR);
            case MALFORMED_JSON -> tenant.failAtPage(page, GraphFault.MALFORMED_JSON);
            case CONNECTION_RESET -> tenant.failAtPage(page, GraphFault.CONNECTION_RESET);
            case THROTTLE_FOREVER -> tenant.failAtPage(page, GraphFault.TOO_MANY_REQUESTS, -1, 1);
        }
    }

    @Override
    public void throttleOnceAtPage(int page, int retryAfterSeconds) {
        tenant.throttleOnceAtPage(page, retryAfterSeconds);
    }

    @Override
    public Credentials credentials() {
        return new Credentials.M365(tenant.tenantId(), clientId, SECRET, null, null);
    }

    @Override
    public Credentials wrongCredentials() {
        return new Credentials.M365(tenant.tenantId(), clientId, "wrong-" + SECRET, null, null);
    }

    @Override
    public int listRequests() {
        return tenant.listRequests();
    }

    @Override
    public boolean supportsGuests() {
        return true;
    }
}
