package io.usersync.emulator.google;

import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The data of one emulated Google Workspace customer: users, org units, groups (nested), and the service
 * accounts and domain-wide delegation grants its token endpoint honours. This is the scripting API tests and
 * the demo use; {@link GoogleEmulator} serves it over HTTP.
 * <p>
 * Users are kept compactly for large seeded tenants: ids are numbers rendered in Google's 21-digit form, the
 * list is ordered by id (so paging is a binary search, stable under concurrent changes), names of seeded
 * users are shared strings, and org units are shared objects. All methods are thread-safe (they lock this
 * object, as the HTTP handlers do while they read).
 */
public final class GoogleWorkspace {

    public static final String DEFAULT_CUSTOMER_ID = "C03emu1at";

    /** Membership types of {@code members.list}. */
    enum MemberType {
        USER, GROUP, CUSTOMER
    }

    static final class OrgUnit {
        final String path;
        final String lowerPath;

        OrgUnit(String path) {
            this.path = path;
            this.lowerPath = path.toLowerCase(Locale.ROOT);
        }

        boolean within(OrgUnit ancestor) {
            return ancestor.lowerPath.equals("/") || lowerPath.equals(ancestor.lowerPath)
                    || lowerPath.startsWith(ancestor.lowerPath + "/");
        }
    }

    static final class EmUser {
        final long num;
        String email;
        String givenName;
        String familyName;
        OrgUnit unit;
        boolean suspended;
        boolean archived;
        boolean admin;
        String[] aliases = NONE;
        String[] nonEditableAliases = NONE;
        int version;

        EmUser(long num) {
            this.num = num;
        }

        String id() {
            return userId(num);
        }
    }

    record Member(String id, MemberType type) {
    }

    static final class EmGroup {
        final String id;
        final String email;
        String name;
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();

        EmGroup(String id, String email, String name) {
            this.id = id;
            this.email = email;
            this.name = name;
        }
    }

    /** A user as tests see it. */
    public record UserInfo(String id, String primaryEmail, String givenName, String familyName, String orgUnitPath,
            boolean suspended, boolean archived, boolean admin, List<String> aliases,
            List<String> nonEditableAliases) {
    }

    private static final String[] NONE = new String[0];
    private static final String[] FIRST = { "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken",
        "Frances", "Edsger", "Radia", "Donald", "Katherine", "Tim", "Hedy", "John", "Mary", "Niklaus", "Sophie",
        "Bjarne", "Anita", "Guido", "Joan", "James", "Lynn", "Vint", "Adele", "Robert", "Jean", "Leslie", "Carol",
        "Butler" };
    private static final String[] LAST = { "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie",
        "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Johnson", "Berners-Lee", "Lamarr", "Backus",
        "Keller", "Wirth", "Wilson", "Stroustrup", "Borg", "Rossum", "Clarke", "Gosling", "Conway", "Cerf",
        "Goldberg", "Tarjan", "Sammet", "Lamport", "Shaw", "Lampson" };
    private static final String[] SEED_UNITS = { "/", "/Sales", "/Sales/EMEA", "/Sales/Americas", "/Engineering",
        "/Engineering/Platform", "/Support", "/Finance" };

    private final String customerId;
    private final String primaryDomain;
    private final Set<String> domains = new LinkedHashSet<>();
    /** Ordered by {@link EmUser#num}: new users get higher numbers. */
    private final ArrayList<EmUser> users = new ArrayList<>();
    private final Map<String, EmUser> byAddress = new HashMap<>();
    private final Map<String, OrgUnit> units = new HashMap<>();
    private final LinkedHashMap<String, EmGroup> groups = new LinkedHashMap<>();
    private final Map<String, EmGroup> groupsByEmail = new HashMap<>();
    private final Map<String, Map<String, PublicKey>> accountKeys = new HashMap<>();
    private final Map<String, String> accountClientIds = new HashMap<>();
    private final Map<String, Set<String>> delegations = new HashMap<>();
    private long nextUserNum = 1;
    private long nextGroupNum = 1;

    public GoogleWorkspace(String customerId, String primaryDomain) {
        this.customerId = customerId;
        this.primaryDomain = primaryDomain.toLowerCase(Locale.ROOT);
        reset();
    }

    public String customerId() {
        return customerId;
    }

    public String primaryDomain() {
        return primaryDomain;
    }

    /** Forgets every user, unit, group, service account and delegation; the primary domain stays. */
    public synchronized void reset() {
        users.clear();
        byAddress.clear();
        units.clear();
        groups.clear();
        groupsByEmail.clear();
        accountKeys.clear();
        accountClientIds.clear();
        delegations.clear();
        domains.clear();
        domains.add(primaryDomain);
        units.put("/", new OrgUnit("/"));
        nextUserNum = 1;
        nextGroupNum = 1;
    }

    // ---------------------------------------------------------------- domains and org units

    /** Adds a secondary domain (users' addresses of unknown domains add theirs automatically). */
    public synchronized void addDomain(String domain) {
        domains.add(domain.toLowerCase(Locale.ROOT));
    }

    /** Creates the org unit and any missing parent, e.g. {@code /Sales/EMEA}. */
    public synchronized void addOrgUnit(String path) {
        unit(path, true);
    }

    public synchronized List<String> orgUnits() {
        return units.values().stream().map(u -> u.path).sorted().toList();
    }

    // ---------------------------------------------------------------- users

    /** Adds an active user in the root unit and returns its id. */
    public String addUser(String email, String givenName, String familyName) {
        return addUser(email, givenName, familyName, "/");
    }

    /** Adds an active user in {@code orgUnitPath} (created if missing) and returns its id. */
    public synchronized String addUser(String email, String givenName, String familyName, String orgUnitPath) {
        String address = requireFreeAddress(email, null);
        EmUser user = new EmUser(nextUserNum++);
        user.email = email;
        user.givenName = givenName;
        user.familyName = familyName;
        user.unit = unit(orgUnitPath, true);
        users.add(user);
        byAddress.put(address, user);
        domains.add(domainOf(address));
        return user.id();
    }

    /** Adds a super administrator (a valid subject for domain-wide delegation) and returns its id. */
    public synchronized String addAdmin(String email, String givenName, String familyName) {
        String id = addUser(email, givenName, familyName, "/");
        find(id).admin = true;
        return id;
    }

    public synchronized void setAdmin(String userKey, boolean admin) {
        touch(find(userKey)).admin = admin;
    }

    public synchronized void setSuspended(String userKey, boolean suspended) {
        touch(find(userKey)).suspended = suspended;
    }

    public synchronized void setArchived(String userKey, boolean archived) {
        touch(find(userKey)).archived = archived;
    }

    public synchronized void setName(String userKey, String givenName, String familyName) {
        EmUser user = touch(find(userKey));
        user.givenName = givenName;
        user.familyName = familyName;
    }

    public synchronized void moveToOrgUnit(String userKey, String orgUnitPath) {
        touch(find(userKey)).unit = unit(orgUnitPath, true);
    }

    /** Replaces the user's editable aliases. */
    public synchronized void setAliases(String userKey, String... aliases) {
        EmUser user = touch(find(userKey));
        for (String alias : user.aliases) {
            byAddress.remove(alias.toLowerCase(Locale.ROOT));
        }
        for (String alias : aliases) {
            requireFreeAddress(alias, user);
        }
        user.aliases = aliases.length == 0 ? NONE : aliases.clone();
        for (String alias : aliases) {
            byAddress.put(alias.toLowerCase(Locale.ROOT), user);
        }
    }

    /** Replaces the aliases Google derives (e.g. for domain aliases); they are not addresses of their own here. */
    public synchronized void setNonEditableAliases(String userKey, String... aliases) {
        touch(find(userKey)).nonEditableAliases = aliases.length == 0 ? NONE : aliases.clone();
    }

    /** Renames the user as the Admin console does: the old primary address stays as an alias. */
    public synchronized void rename(String userKey, String newEmail) {
        EmUser user = find(userKey);
        String old = user.email;
        setPrimaryEmail(userKey, newEmail);
        String[] aliases = Arrays.copyOf(user.aliases, user.aliases.length + 1);
        aliases[aliases.length - 1] = old;
        setAliases(user.id(), aliases);
    }

    /** Changes the primary address without keeping the old one. */
    public synchronized void setPrimaryEmail(String userKey, String newEmail) {
        EmUser user = touch(find(userKey));
        String address = requireFreeAddress(newEmail, user);
        byAddress.remove(user.email.toLowerCase(Locale.ROOT));
        user.email = newEmail;
        byAddress.put(address, user);
        domains.add(domainOf(address));
    }

    /** Deletes the user and its group memberships. */
    public synchronized void deleteUser(String userKey) {
        EmUser user = find(userKey);
        users.remove(indexOf(user.num));
        byAddress.remove(user.email.toLowerCase(Locale.ROOT));
        for (String alias : user.aliases) {
            byAddress.remove(alias.toLowerCase(Locale.ROOT));
        }
        String id = user.id();
        groups.values().forEach(g -> g.members.remove(id));
    }

    public synchronized Optional<UserInfo> user(String userKey) {
        EmUser user = lookup(userKey);
        return Optional.ofNullable(user).map(u -> new UserInfo(u.id(), u.email, u.givenName, u.familyName,
                u.unit.path, u.suspended, u.archived, u.admin, List.of(u.aliases), List.of(u.nonEditableAliases)));
    }

    public synchronized int userCount() {
        return users.size();
    }

    /**
     * Adds {@code count} users generated deterministically from {@code seed} (same arguments, same users, same
     * order): names from a fixed pool, addresses {@code first.last.N@domain}, spread over the units /Sales,
     * /Sales/EMEA, /Sales/Americas, /Engineering, /Engineering/Platform, /Support, /Finance and the root; about
     * 3 % suspended, 1 % archived, 10 % with an alias. Meant for large tenants (100k users and more).
     */
    public synchronized void seedUsers(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OrgUnit[] seeded = new OrgUnit[SEED_UNITS.length];
        for (int i = 0; i < SEED_UNITS.length; i++) {
            seeded[i] = unit(SEED_UNITS[i], true);
        }
        users.ensureCapacity(users.size() + count);
        long base = nextUserNum;
        for (int i = 0; i < count; i++) {
            EmUser user = new EmUser(nextUserNum++);
            user.givenName = FIRST[random.nextInt(FIRST.length)];
            user.familyName = LAST[random.nextInt(LAST.length)];
            user.email = (user.givenName + "." + user.familyName + "." + (base + i) + "@" + primaryDomain)
                    .toLowerCase(Locale.ROOT);
            user.unit = seeded[random.nextInt(seeded.length)];
            int roll = random.nextInt(100);
            user.suspended = roll < 3;
            user.archived = roll == 3;
            if (random.nextInt(10) == 0) {
                String alias = user.givenName.toLowerCase(Locale.ROOT) + "." + (base + i) + "@" + primaryDomain;
                if (!byAddress.containsKey(alias)) {
                    user.aliases = new String[] { alias };
                    byAddress.put(alias, user);
                }
            }
            if (byAddress.putIfAbsent(user.email, user) != null) {
                throw new IllegalStateException("seeded address already taken: " + user.email);
            }
            users.add(user);
        }
    }

    // ---------------------------------------------------------------- groups

    /** Adds a group and returns its id. */
    public synchronized String addGroup(String email, String name) {
        String key = email.toLowerCase(Locale.ROOT);
        if (groupsByEmail.containsKey(key) || byAddress.containsKey(key)) {
            throw new IllegalArgumentException("address already taken: " + email);
        }
        String id = groupId(nextGroupNum++);
        EmGroup group = new EmGroup(id, email, name);
        groups.put(id, group);
        groupsByEmail.put(key, group);
        return id;
    }

    /** Makes a user or a group (by id or address) a direct member of the group. */
    public synchronized void addMember(String groupKey, String memberKey) {
        EmGroup group = requireGroup(groupKey);
        EmGroup nested = group(memberKey);
        if (nested != null) {
            group.members.put(nested.id, new Member(nested.id, MemberType.GROUP));
            return;
        }
        EmUser user = find(memberKey);
        group.members.put(user.id(), new Member(user.id(), MemberType.USER));
    }

    /** Makes every user of the customer a member (Google's {@code type=CUSTOMER} member). */
    public synchronized void addCustomerMember(String groupKey) {
        requireGroup(groupKey).members.put(customerId, new Member(customerId, MemberType.CUSTOMER));
    }

    public synchronized void removeMember(String groupKey, String memberKey) {
        EmGroup group = requireGroup(groupKey);
        EmGroup nested = group(memberKey);
        EmUser user = nested == null ? lookup(memberKey) : null;
        group.members.remove(nested != null ? nested.id : user != null ? user.id() : memberKey);
    }

    public synchronized void deleteGroup(String groupKey) {
        EmGroup group = requireGroup(groupKey);
        groups.remove(group.id);
        groupsByEmail.remove(group.email.toLowerCase(Locale.ROOT));
        groups.values().forEach(g -> g.members.remove(group.id));
    }

    // ---------------------------------------------------------------- service accounts and delegation

    /** Creates a service account with a fresh key pair, registers its public key and returns it. */
    public ServiceAccount createServiceAccount(String name) {
        ServiceAccount account = ServiceAccount.generate(name, "usersync-emulator");
        registerKey(account);
        return account;
    }

    /** Registers the account's public key (an account may have several keys). */
    public synchronized void registerKey(ServiceAccount account) {
        accountKeys.computeIfAbsent(account.clientEmail(), k -> new HashMap<>()).put(account.keyId(),
                account.publicKey());
        accountClientIds.put(account.clientEmail(), account.clientId());
    }

    /** Deletes one key of the account, as in the Cloud console. */
    public synchronized void deleteKey(String clientEmail, String keyId) {
        Map<String, PublicKey> keys = accountKeys.get(clientEmail);
        if (keys != null) {
            keys.remove(keyId);
        }
    }

    /** Authorises domain-wide delegation for the client id and scopes (Admin console > API controls). */
    public synchronized void authorizeDelegation(String clientId, Collection<String> scopes) {
        delegations.computeIfAbsent(clientId, k -> new HashSet<>()).addAll(scopes);
    }

    public synchronized void revokeDelegation(String clientId) {
        delegations.remove(clientId);
    }

    // ---------------------------------------------------------------- reads for the HTTP layer (caller holds the lock)

    /** A filter of {@code users.list}. */
    record UserFilter(String domain, OrgUnit unit, Boolean suspended, Boolean archived, Boolean admin) {
        boolean matches(EmUser user) {
            return (domain == null || domainOf(user.email.toLowerCase(Locale.ROOT)).equals(domain))
                    && (unit == null || user.unit.within(unit))
                    && (suspended == null || user.suspended == suspended)
                    && (archived == null || user.archived == archived)
                    && (admin == null || user.admin == admin);
        }
    }

    /** Up to {@code limit} matching users with ids above {@code afterNum}, and whether more match. */
    record UserSlice(List<EmUser> users, boolean more) {
    }

    UserSlice listUsers(UserFilter filter, long afterNum, int limit) {
        List<EmUser> page = new ArrayList<>(Math.min(limit, 512));
        int index = firstIndexAfter(afterNum);
        for (; index < users.size(); index++) {
            EmUser user = users.get(index);
            if (filter.matches(user)) {
                if (page.size() == limit) {
                    return new UserSlice(page, true);
                }
                page.add(user);
            }
        }
        return new UserSlice(page, false);
    }

    OrgUnit existingUnit(String path) {
        return units.get(normalise(path).toLowerCase(Locale.ROOT));
    }

    boolean hasDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    EmUser lookup(String userKey) {
        if (userKey == null) {
            return null;
        }
        long num = parseUserId(userKey);
        if (num > 0) {
            int index = indexOf(num);
            return index >= 0 ? users.get(index) : null;
        }
        return byAddress.get(userKey.toLowerCase(Locale.ROOT));
    }

    EmGroup group(String groupKey) {
        if (groupKey == null) {
            return null;
        }
        EmGroup group = groups.get(groupKey);
        return group != null ? group : groupsByEmail.get(groupKey.toLowerCase(Locale.ROOT));
    }

    /** Direct members, or with {@code derived} also the members of nested groups (each once, cycles ignored). */
    List<Member> members(EmGroup group, boolean derived) {
        if (!derived) {
            return List.copyOf(group.members.values());
        }
        LinkedHashMap<String, Member> all = new LinkedHashMap<>();
        Set<String> visited = new HashSet<>();
        Deque<EmGroup> pending = new ArrayDeque<>();
        pending.add(group);
        visited.add(group.id);
        while (!pending.isEmpty()) {
            for (Member member : pending.poll().members.values()) {
                all.putIfAbsent(member.id(), member);
                if (member.type() == MemberType.GROUP && visited.add(member.id())) {
                    EmGroup nested = groups.get(member.id());
                    if (nested != null) {
                        pending.add(nested);
                    }
                }
            }
        }
        return List.copyOf(all.values());
    }

    Map<String, PublicKey> keysOf(String clientEmail) {
        Map<String, PublicKey> keys = accountKeys.get(clientEmail);
        return keys == null ? null : Map.copyOf(keys);
    }

    String clientIdOf(String clientEmail) {
        return accountClientIds.get(clientEmail);
    }

    Set<String> delegatedScopes(String clientId) {
        return delegations.getOrDefault(clientId, Set.of());
    }

    // ---------------------------------------------------------------- helpers

    static String userId(long num) {
        String digits = Long.toString(num);
        StringBuilder id = new StringBuilder(21).append('1');
        for (int i = digits.length(); i < 20; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }

    /** The number of a 21-digit user id, or -1. */
    static long parseUserId(String id) {
        if (id.length() != 21 || id.charAt(0) != '1') {
            return -1;
        }
        long num = 0;
        for (int i = 1; i < 21; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9' || num > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            num = num * 10 + (c - '0');
        }
        return num;
    }

    private static String groupId(long num) {
        String digits = Long.toString(num, 36);
        return "03emu" + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
    }

    private int indexOf(long num) {
        int low = 0;
        int high = users.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long value = users.get(mid).num;
            if (value < num) {
                low = mid + 1;
            } else if (value > num) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private int firstIndexAfter(long num) {
        int index = indexOf(num);
        return index >= 0 ? index + 1 : -(index + 1);
    }

    private EmUser find(String userKey) {
        EmUser user = lookup(userKey);
        if (user == null) {
            throw new IllegalArgumentException("no user " + userKey);
        }
        return user;
    }

    private EmGroup requireGroup(String groupKey) {
        EmGroup group = group(groupKey);
        if (group == null) {
            throw new IllegalArgumentException("no group " + groupKey);
        }
        return group;
    }

    private static EmUser touch(EmUser user) {
        user.version++;
        return user;
    }

    private String requireFreeAddress(String email, EmUser owner) {
        if (email == null || email.indexOf('@') <= 0) {
            throw new IllegalArgumentException("not an address: " + email);
        }
        String address = email.toLowerCase(Locale.ROOT);
        EmUser holder = byAddress.get(address);
        if (holder != null && holder != owner || groupsByEmail.containsKey(address)) {
            throw new IllegalArgumentException("address already taken: " + email);
        }
        return address;
    }

    private OrgUnit unit(String path, boolean create) {
        String normalised = normalise(path);
        OrgUnit existing = units.get(normalised.toLowerCase(Locale.ROOT));
        if (existing != null || !create) {
            return existing;
        }
        int slash = normalised.lastIndexOf('/');
        unit(slash <= 0 ? "/" : normalised.substring(0, slash), true);
        OrgUnit created = new OrgUnit(normalised);
        units.put(created.lowerPath, created);
        return created;
    }

    private static String normalise(String path) {
        String value = path == null || path.isBlank() ? "/" : path.strip();
        if (!value.startsWith("/")) {
            value = "/" + value;
        }
        while (value.length() > 1 && value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
