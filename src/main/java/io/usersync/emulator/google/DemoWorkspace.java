package io.usersync.emulator.google;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A small Google Workspace for the quickstart: a few org units (with a sub-unit), active, suspended and archived
 * users, aliases, nested groups, a super administrator, and a service account (key generated at start) with
 * domain-wide delegation for the read-only scopes usersync asks for.
 */
public final class DemoWorkspace {

    public static final String DOMAIN = "acme.example";
    public static final String ADMIN = "admin@acme.example";
    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/admin.directory.user.readonly",
            "https://www.googleapis.com/auth/admin.directory.group.member.readonly");

    /**
     * What a usersync connection to the demo Workspace needs.
     *
     * @param serviceAccountKeyJson the generated key file: a secret, to be handed to usersync only
     * @param groups                group email to id
     */
    public record Connection(String serviceAccountKeyJson, String adminSubject, String customerId, String domain,
            Map<String, String> groups) {

        /** The body of {@code POST /api/clients/{id}/connections} syncing all users of the demo Workspace. */
        public String createConnectionBody() {
            ObjectMapper json = new ObjectMapper();
            ObjectNode body = json.createObjectNode();
            body.put("provider", "GOOGLE");
            ObjectNode google = body.putObject("google");
            try {
                google.set("serviceAccountKey", json.readTree(serviceAccountKeyJson));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            google.put("adminSubject", adminSubject);
            google.put("customerId", "my_customer");
            body.putObject("pool").put("allUsers", true);
            return body.toPrettyString();
        }

        @Override
        public String toString() {
            return "Connection[adminSubject=" + adminSubject + ", customerId=" + customerId + ", key=***]";
        }
    }

    private DemoWorkspace() {
    }

    /** Replaces the emulator's data with the demo Workspace. */
    public static Connection load(GoogleEmulator emulator) {
        GoogleWorkspace w = emulator.workspace();
        w.reset();
        w.addDomain("acme-sales.example");
        w.addOrgUnit("/Sales/EMEA");
        w.addOrgUnit("/Engineering");
        w.addOrgUnit("/Support");
        w.addAdmin(ADMIN, "Avery", "Admin");
        String ada = w.addUser("ada.lovelace@acme.example", "Ada", "Lovelace", "/Engineering");
        String alan = w.addUser("alan.turing@acme.example", "Alan", "Turing", "/Engineering");
        w.setAliases(alan, "alan@acme.example");
        String grace = w.addUser("grace.hopper@acme.example", "Grace", "Hopper", "/Sales");
        w.setAliases(grace, "grace@acme.example", "g.hopper@acme-sales.example");
        String linus = w.addUser("linus.t@acme.example", "Linus", "Torvalds", "/Sales/EMEA");
        String margaret = w.addUser("margaret.hamilton@acme.example", "Margaret", "Hamilton", "/Sales/EMEA");
        String ken = w.addUser("ken.thompson@acme.example", "Ken", "Thompson", "/Support");
        String barbara = w.addUser("barbara.liskov@acme.example", "Barbara", "Liskov", "/Support");
        w.setSuspended(barbara, true);
        String dennis = w.addUser("dennis.ritchie@acme.example", "Dennis", "Ritchie", "/Engineering");
        w.setArchived(dennis, true);
        w.addUser("contractor.one@acme.example", "Casey", "Contractor", "/Support");
        String engineering = w.addGroup("engineering@acme.example", "Engineering");
        String sales = w.addGroup("sales@acme.example", "Sales");
        String staff = w.addGroup("all-staff@acme.example", "All staff");
        w.addMember(engineering, ada);
        w.addMember(engineering, alan);
        w.addMember(engineering, dennis);
        w.addMember(sales, grace);
        w.addMember(sales, linus);
        w.addMember(sales, margaret);
        w.addMember(staff, engineering);
        w.addMember(staff, sales);
        w.addMember(staff, ken);
        ServiceAccount account = w.createServiceAccount("usersync-demo");
        w.authorizeDelegation(account.clientId(), SCOPES);
        return new Connection(account.keyJson(), ADMIN, w.customerId(), DOMAIN,
                Map.of("engineering@acme.example", engineering, "sales@acme.example", sales,
                        "all-staff@acme.example", staff));
    }
}
