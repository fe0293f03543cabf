package io.usersync.emulator.graph;

import java.util.List;

/**
 * The demo directory {@link GraphEmulator#loadDemoDataset()} creates, with the app registration to connect with.
 *
 * @param allStaff    group id of "All Staff" (contains Engineering, nested)
 * @param engineering group id of "Engineering"
 */
public record DemoDataset(GraphTenant tenant, String allStaff, String engineering) {

    public static final String TENANT_ID = "3f2a1c7e-8d4b-4e6a-9c1f-5b7d2e9a0c44";
    public static final String DOMAIN = "demo.onmicrosoft.com";
    public static final String CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    /** Demo only: the emulator accepts this secret for {@link #CLIENT_ID}; it is not a real credential. */
    public static final String CLIENT_SECRET = "demo-client-secret";

    static DemoDataset load(GraphEmulator emulator) {
        GraphTenant tenant = emulator.createTenant(TENANT_ID, DOMAIN);
        tenant.reset();
        tenant.registerSecretApp(CLIENT_ID, CLIENT_SECRET);
        String allStaff = tenant.addGroup("All Staff");
        String engineering = tenant.addGroup("Engineering");
        tenant.addMember(allStaff, engineering);
        List<String[]> people = List.of(
                new String[] { "ada.lovelace", "Ada", "Lovelace" },
                new String[] { "alan.turing", "Alan", "Turing" },
                new String[] { "grace.hopper", "Grace", "Hopper" },
                new String[] { "linus.torvalds", "Linus", "Torvalds" },
                new String[] { "margaret.hamilton", "Margaret", "Hamilton" },
                new String[] { "dennis.ritchie", "Dennis", "Ritchie" },
                new String[] { "barbara.liskov", "Barbara", "Liskov" },
                new String[] { "ken.thompson", "Ken", "Thompson" },
                new String[] { "frances.allen", "Frances", "Allen" },
                new String[] { "edsger.dijkstra", "Edsger", "Dijkstra" });
        for (int i = 0; i < people.size(); i++) {
            String[] p = people.get(i);
            String email = p[0] + "@" + DOMAIN;
            String alias = p[1].toLowerCase(java.util.Locale.ROOT) + "@" + DOMAIN;
            String id = tenant.addUser(GraphUser.member(email, p[1], p[2])
                    .withProxyAddresses("SMTP:" + email, "smtp:" + alias));
            tenant.addMember(i % 2 == 0 ? engineering : allStaff, id);
        }
        // A user without a mailbox: the service falls back to the UPN.
        tenant.addMember(allStaff, tenant.addUser(new GraphUser("radia.perlman@" + DOMAIN, null, "Radia", "Perlman",
                true, "Member", List.of(), List.of("radia@personal.example"))));
        // A disabled account: never in the pool.
        tenant.addMember(allStaff, tenant.addUser(GraphUser.member("former.employee@" + DOMAIN, "Former",
                "Employee").withAccountEnabled(false)));
        // An invited guest: excluded unless the connection includes guests.
        tenant.addGuest("partner@partner.example", "Pat", "Partner");
        return new DemoDataset(tenant, allStaff, engineering);
    }
}
