package io.usersync.sync.google;

import com.google.api.services.directory.Directory;
import com.google.api.services.directory.model.Member;
import com.google.api.services.directory.model.Members;
import com.google.api.services.directory.model.User;
import com.google.api.services.directory.model.Users;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryPage;
import io.usersync.sync.port.DirectoryUser;
import io.usersync.sync.port.PoolSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Google Workspace pool page by page, holding one page of users at a time.
 * <ul>
 * <li>All users: {@code users.list} over the customer (or domain).</li>
 * <li>Org units only: one {@code users.list} per unit with {@code query=orgUnitPath='/Unit'}, which Google
 * answers with the unit and all its sub-units; units inside another pool unit are dropped first, so every user
 * is read once.</li>
 * <li>Groups (with or without units): first the members of every group, via {@code members.list} with
 * {@code includeDerivedMembership=true} (nested groups resolved by Google), kept only as compact ids; then one
 * pass of {@code users.list} over the customer keeps the users who are members or sit in a pool unit. Members
 * carry no names or suspension state, and this needs neither a request per member nor a second copy of the
 * users. Members that are not users of this customer (other domains, consumer accounts) never appear in the
 * listing and so are not in the pool: they are not this Workspace's billable users. A group that contains the
 * whole customer ({@code type=CUSTOMER}) makes the pool every user.</li>
 * </ul>
 * Suspended and archived users are reported with {@code enabled=false}; the engine leaves them out of the pool.
 */
final class GooglePoolReader implements DirectoryConnector.PoolReader {

    static final long USERS_PAGE_SIZE = 500;
    static final long MEMBERS_PAGE_SIZE = 200;
    static final String USER_FIELDS = "id,primaryEmail,name(givenName,familyName),suspended,archived,aliases,"
            + "nonEditableAliases";

    /** One {@code users.list} walk: an optional search query, and whether users must be filtered locally. */
    private record Listing(String query, boolean filter, GoogleSession.Op op) {
    }

    private final GoogleSession session;
    private final PoolSpec pool;
    private final List<Listing> listings = new ArrayList<>();
    private List<String> poolUnits = List.of();
    private CompactIdSet members;
    private boolean prepared;
    private int listing;
    private String pageToken;
    private int pageNumber;

    GooglePoolReader(GoogleSession session, PoolSpec pool) {
        this.session = session;
        this.pool = pool;
    }

    @Override
    public DirectoryPage next() throws DirectoryException {
        if (!prepared) {
            prepare();
            prepared = true;
        }
        while (listing < listings.size()) {
            Listing current = listings.get(listing);
            Directory.Users.List request = session.listUsers()
                    .setMaxResults((int) USERS_PAGE_SIZE)
                    .setFields("nextPageToken,users(" + USER_FIELDS + (current.filter() && !poolUnits.isEmpty()
                            ? ",orgUnitPath" : "") + ")");
            if (current.query() != null) {
                request.setQuery(current.query());
            }
            if (pageToken != null) {
                request.setPageToken(pageToken);
            }
            Users page = session.execute(request, current.op());
            pageToken = blankToNull(page.getNextPageToken());
            if (pageToken == null) {
                listing++;
            }
            List<DirectoryUser> users = new ArrayList<>(page.getUsers() == null ? 0 : page.getUsers().size());
            if (page.getUsers() != null) {
                for (User user : page.getUsers()) {
                    if (!current.filter() || inPool(user)) {
                        users.add(toDirectoryUser(user));
                    }
                }
            }
            // Pages that hold nobody of the pool (a filtered walk) are not handed on.
            if (!users.isEmpty()) {
                return new DirectoryPage(++pageNumber, users);
            }
        }
        return null;
    }

    @Override
    public String deltaToken() {
        return null;
    }

    @Override
    public long requests() {
        return session.requests();
    }

    @Override
    public long throttled() {
        return session.throttled();
    }

    // ---------------------------------------------------------------- plan

    private void prepare() throws DirectoryException {
        GoogleSession.Op everyone = new GoogleSession.Op("listing the users of " + session.scopeOfUsers(),
                session.scopeOfUsers());
        if (pool.allUsers()) {
            listings.add(new Listing(null, false, everyone));
            return;
        }
        List<String> units = outermostUnits(pool.orgUnits());
        if (units.contains("/")) {
            listings.add(new Listing(null, false, everyone));
            return;
        }
        if (pool.groups().isEmpty()) {
            for (String unit : units) {
                listings.add(new Listing("orgUnitPath='" + unit + "'", false, unitOp(unit)));
            }
            return;
        }
        members = new CompactIdSet();
        boolean wholeCustomer = false;
        for (String group : pool.groups()) {
            wholeCustomer |= collectMembers(group);
        }
        if (wholeCustomer) {
            members = null;
            listings.add(new Listing(null, false, everyone));
            return;
        }
        for (String unit : units) {
            probeUnit(unit);
        }
        poolUnits = units.stream().map(u -> u.toLowerCase(Locale.ROOT)).toList();
        if (!members.isEmpty() || !poolUnits.isEmpty()) {
            listings.add(new Listing(null, true, everyone));
        }
    }

    /** Adds the group's user members (nested groups included) to {@link #members}; true if it holds the customer. */
    private boolean collectMembers(String group) throws DirectoryException {
        GoogleSession.Op op = new GoogleSession.Op("listing the members of group " + group, "group " + group);
        String token = null;
        boolean wholeCustomer = false;
        do {
            Directory.Members.List request = session.listMembers(group)
                    .setIncludeDerivedMembership(true)
                    .setMaxResults((int) MEMBERS_PAGE_SIZE)
                    .setFields("nextPageToken,members(id,type)");
            if (token != null) {
                request.setPageToken(token);
            }
            Members page = session.execute(request, op);
            if (page.getMembers() != null) {
                for (Member member : page.getMembers()) {
                    if ("CUSTOMER".equals(member.getType())) {
                        wholeCustomer = true;
                    } else if ("USER".equals(member.getType()) && member.getId() != null) {
                        members.add(member.getId());
                    }
                }
            }
            token = blankToNull(page.getNextPageToken());
        } while (token != null);
        return wholeCustomer;
    }

    /** In a mixed pool units are matched locally; one tiny query per unit still proves that it exists. */
    private void probeUnit(String unit) throws DirectoryException {
        session.execute(session.listUsers().setQuery("orgUnitPath='" + unit + "'").setMaxResults(1)
                .setFields("users(id)"), unitOp(unit));
    }

    private GoogleSession.Op unitOp(String unit) {
        return new GoogleSession.Op("listing the users of org unit " + unit, "org unit " + unit);
    }

    private boolean inPool(User user) {
        if (members != null && members.contains(user.getId())) {
            return true;
        }
        String path = user.getOrgUnitPath();
        if (path == null || poolUnits.isEmpty()) {
            return false;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        for (String unit : poolUnits) {
            if (lower.equals(unit) || lower.startsWith(unit + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Normalised unit paths ({@code /Sales}, no trailing slash) without those inside another pool unit, which
     * Google's sub-unit matching already covers. Compared case-insensitively, as Google does.
     */
    static List<String> outermostUnits(List<String> units) {
        Set<String> normalised = new LinkedHashSet<>();
        for (String unit : units) {
            String path = unit.strip();
            while (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            normalised.add(path);
        }
        List<String> outermost = new ArrayList<>();
        for (String unit : normalised) {
            String lower = unit.toLowerCase(Locale.ROOT);
            boolean covered = normalised.stream().map(u -> u.toLowerCase(Locale.ROOT))
                    .anyMatch(other -> !other.equals(lower) && (other.equals("/") || lower.startsWith(other + "/")));
            boolean duplicate = outermost.stream().anyMatch(u -> u.equalsIgnoreCase(unit));
            if (!covered && !duplicate) {
                outermost.add(unit);
            }
        }
        return outermost;
    }

    // ---------------------------------------------------------------- mapping

    /**
     * Email is {@code primaryEmail}; aliases are {@code aliases} plus {@code nonEditableAliases} (addresses Google
     * derives, e.g. for domain aliases): both deliver to the user, so a deny entry for either must match.
     */
    static DirectoryUser toDirectoryUser(User user) {
        List<String> aliases = new ArrayList<>();
        if (user.getAliases() != null) {
            aliases.addAll(user.getAliases());
        }
        if (user.getNonEditableAliases() != null) {
            aliases.addAll(user.getNonEditableAliases());
        }
        boolean enabled = !Boolean.TRUE.equals(user.getSuspended()) && !Boolean.TRUE.equals(user.getArchived());
        return new DirectoryUser(user.getId(), user.getPrimaryEmail(), aliases,
                user.getName() == null ? null : user.getName().getGivenName(),
                user.getName() == null ? null : user.getName().getFamilyName(), enabled, false, false);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
