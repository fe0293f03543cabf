package io.usersync.emulator.graph;

import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One emulated Entra ID tenant: its users, groups, app registrations, scripted faults and request counters. Tests
 * and the demo script it through these methods; the emulator's HTTP side reads it. Every method is thread-safe.
 * <p>
 * Change tracking: each change bumps the tenant's sequence number and stamps the user with it, so a delta round
 * returns the users whose stamp lies after its token. Users are never physically removed (a deleted user stays
 * as a tombstone for delta), which also keeps list positions stable while a listing pages through.
 */
public final class GraphTenant {

    /** A request the emulator answered for this tenant (for tests that check what the SDK sent). */
    public record RecordedRequest(String method, String path, Map<String, String> query, String prefer) {
    }

    /** An app registration: a client secret or a certificate, and whether it was granted directory read. */
    record App(String clientId, String secret, X509Certificate certificate, boolean directoryRead) {
    }

    static final class Group {
        final String id;
        final String displayName;
        final Set<String> members = new LinkedHashSet<>();

        Group(String id, String displayName) {
            this.id = id;
            this.displayName = displayName;
        }
    }

    static final class FaultRule {
        final int page;
        final GraphFault fault;
        int remaining;
        final Integer retryAfterSeconds;

        FaultRule(int page, GraphFault fault, int times, Integer retryAfterSeconds) {
            this.page = page;
            this.fault = fault;
            this.remaining = times;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private static final int RECORDED_REQUESTS = 500;

    private final String tenantId;
    private final String domain;

    private final List<StoredUser> users = new ArrayList<>();
    private final Map<String, StoredUser> byId = new HashMap<>();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, App> apps = new HashMap<>();
    private final List<FaultRule> faults = new ArrayList<>();
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private long sequence;
    /** Bumped by {@link #reset()} and {@link #expireDeltaTokens()}: older delta tokens answer 410. */
    private int generation;
    private int maxPageSize = 999;
    private int listRequests;
    private int tokenRequests;
    private int throttledResponses;

    GraphTenant(String tenantId, String domain) {
        this.tenantId = tenantId;
        this.domain = domain;
    }

    public String tenantId() {
        return tenantId;
    }

    public String domain() {
        return domain;
    }

    // ---------------------------------------------------------------- apps

    /** Registers an app that authenticates with a client secret and may read the directory. */
    public synchronized void registerSecretApp(String clientId, String secret) {
        apps.put(clientId.toLowerCase(java.util.Locale.ROOT), new App(clientId, secret, null, true));
    }

    /** Registers an app that authenticates with a client assertion signed by the certificate's key. */
    public synchronized void registerCertificateApp(String clientId, X509Certificate certificate) {
        apps.put(clientId.toLowerCase(java.util.Locale.ROOT), new App(clientId, null, certificate, true));
    }

    /** Withdraws the app's directory read permission: its tokens then get 403 from Graph. */
    public synchronized void revokeDirectoryRead(String clientId) {
        App app = apps.get(clientId.toLowerCase(java.util.Locale.ROOT));
        if (app != null) {
            apps.put(app.clientId().toLowerCase(java.util.Locale.ROOT),
                    new App(app.clientId(), app.secret(), app.certificate(), false));
        }
    }

    synchronized App app(String clientId) {
        return clientId == null ? null : apps.get(clientId.toLowerCase(java.util.Locale.ROOT));
    }

    // ---------------------------------------------------------------- users

    /** Adds a user and returns its object id. */
    public synchronized String addUser(GraphUser user) {
        StoredUser stored = StoredUser.explicit(UUID.randomUUID(), user);
        insert(stored);
        return stored.id();
    }

    /** Adds a guest as an invitation creates one ({@code #EXT#} UPN, {@code userType=Guest}). */
    public String addGuest(String externalEmail, String givenName, String surname) {
        return addUser(GraphUser.guest(externalEmail, domain, givenName, surname));
    }

    /**
     * Adds {@code count} generated users, deterministic for a given {@code seed} (same ids, names and emails on
     * every run), stored compactly.
     *
     * @return the number of users the tenant now has (deleted ones included)
     */
    public synchronized int seedUsers(int count, long seed) {
        int base = users.size();
        for (int i = 0; i < count; i++) {
            insert(StoredUser.seeded(seed, base + i, domain));
        }
        return users.size();
    }

    /** Replaces a user's attributes (same object id): rename, disable, aliases, names. */
    public synchronized void updateUser(String id, UnaryOperator<GraphUser> change) {
        StoredUser user = live(id);
        user.replace(change.apply(user.attributes()));
        user.version = ++sequence;
    }

    /** The user's current attributes. */
    public synchronized GraphUser user(String id) {
        return live(id).attributes();
    }

    public void rename(String id, String newEmail) {
        updateUser(id, u -> u.withUserPrincipalName(newEmail).withMail(newEmail));
    }

    public void disable(String id) {
        updateUser(id, u -> u.withAccountEnabled(false));
    }

    public void enable(String id) {
        updateUser(id, u -> u.withAccountEnabled(true));
    }

    /** Deletes a user as the portal does (soft delete; delta reports {@code @removed: {reason: changed}}). */
    public synchronized void deleteUser(String id) {
        remove(id, "changed");
    }

    /** Deletes a user permanently (delta reports {@code @removed: {reason: deleted}}). */
    public synchronized void deleteUserPermanently(String id) {
        remove(id, "deleted");
    }

    private void remove(String id, String reason) {
        StoredUser user = live(id);
        user.deleted = true;
        user.removedReason = reason;
        user.version = ++sequence;
        for (Group group : groups.values()) {
            group.members.remove(id);
        }
    }

    /** Users that are not deleted. */
    public synchronized int userCount() {
        return (int) users.stream().filter(u -> !u.deleted).count();
    }

    private void insert(StoredUser user) {
        user.version = ++sequence;
        users.add(user);
        byId.put(user.id(), user);
    }

    private StoredUser live(String id) {
        StoredUser user = byId.get(id);
        if (user == null || user.deleted) {
            throw new IllegalArgumentException("no user " + id);
        }
        return user;
    }

    // ---------------------------------------------------------------- groups

    public synchronized String addGroup(String displayName) {
        Group group = new Group(UUID.randomUUID().toString(), displayName);
        groups.put(group.id, group);
        return group.id;
    }

    /** Makes a user, or a group (nesting), a member of a group. */
    public synchronized void addMember(String groupId, String memberId) {
        Group group = groups.get(groupId);
        if (group == null || (!groups.containsKey(memberId) && !byId.containsKey(memberId))) {
            throw new IllegalArgumentException("no group " + groupId + " or member " + memberId);
        }
        group.members.add(memberId);
    }

    public synchronized void removeMember(String groupId, String memberId) {
        Group group = groups.get(groupId);
        if (group != null) {
            group.members.remove(memberId);
        }
    }

    // ---------------------------------------------------------------- paging, faults, counters

    /** Caps the users on one page, whatever the client asks for (Graph's own cap is 999). */
    public synchronized void maxPageSize(int size) {
        maxPageSize = Math.max(1, Math.min(999, size));
    }

    /** Injects {@code fault} on every request for page {@code page} (1-based) of any listing. */
    public void failAtPage(int page, GraphFault fault) {
        failAtPage(page, fault, -1, fault == GraphFault.TOO_MANY_REQUESTS ? 1 : null);
    }

    /**
     * Injects {@code fault} on the next {@code times} requests (-1: every request) for page {@code page}.
     *
     * @param retryAfterSeconds the {@code Retry-After} header to send with 429/503/504, or null for none
     */
    public synchronized void failAtPage(int page, GraphFault fault, int times, Integer retryAfterSeconds) {
        faults.add(new FaultRule(page, fault, times, retryAfterSeconds));
    }

    /** Answers the next request for {@code page} with 429 and {@code Retry-After}, then serves it normally. */
    public void throttleOnceAtPage(int page, int retryAfterSeconds) {
        failAtPage(page, GraphFault.TOO_MANY_REQUESTS, 1, retryAfterSeconds);
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    /** Invalidates every delta token issued so far: their next use answers 410 Gone ({@code syncStateNotFound}). */
    public synchronized void expireDeltaTokens() {
        generation++;
    }

    /** Listing requests answered (users, delta, members; faults included; token requests excluded). */
    public synchronized int listRequests() {
        return listRequests;
    }

    public synchronized int tokenRequests() {
        return tokenRequests;
    }

    /** 429/503/504 responses sent. */
    public synchronized int throttledResponses() {
        return throttledResponses;
    }

    /** The most recent requests (up to 500), oldest first. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** Forgets users, groups, faults, counters and recorded requests; app registrations stay. */
    public synchronized void reset() {
        users.clear();
        byId.clear();
        groups.clear();
        faults.clear();
        recorded.clear();
        generation++;
        maxPageSize = 999;
        listRequests = 0;
        tokenRequests = 0;
        throttledResponses = 0;
    }

    // ---------------------------------------------------------------- read side (package-private)

    synchronized void record(RecordedRequest request) {
        if (recorded.size() == RECORDED_REQUESTS) {
            recorded.removeFirst();
        }
        recorded.addLast(request);
        listRequests++;
    }

    synchronized void countToken() {
        tokenRequests++;
    }

    synchronized void countThrottled() {
        throttledResponses++;
    }

    /** The fault to inject for this page now, consuming one use of it, or null. */
    synchronized FaultRule takeFault(int page) {
        for (FaultRule rule : faults) {
            if (rule.page == page && rule.remaining != 0) {
                if (rule.remaining > 0) {
                    rule.remaining--;
                }
                return rule;
            }
        }
        return null;
    }

    synchronized int maxPageSize() {
        return maxPageSize;
    }

    synchronized int generation() {
        return generation;
    }

    synchronized long sequence() {
        return sequence;
    }

    synchronized Group group(String id) {
        return groups.get(id);
    }

    /** A window of live users in list order, starting at position {@code from}. */
    synchronized Slice<StoredUser> liveUsers(int from, int max) {
        List<StoredUser> items = new ArrayList<>(Math.min(max, 1024));
        int position = from;
        while (position < users.size() && items.size() < max) {
            StoredUser user = users.get(position++);
            if (!user.deleted) {
                items.add(user);
            }
        }
        return new Slice<>(items, position < users.size() ? position : -1);
    }

    /** A window of users changed in {@code (since, until]}, tombstones included, starting at {@code from}. */
    synchronized Slice<StoredUser> changedUsers(long since, long until, int from, int max) {
        List<StoredUser> items = new ArrayList<>(Math.min(max, 1024));
        int position = from;
        while (position < users.size() && items.size() < max) {
            StoredUser user = users.get(position++);
            if (user.version > since && user.version <= until) {
                items.add(user);
            }
        }
        return new Slice<>(items, position < users.size() ? position : -1);
    }

    /**
     * The transitive members of a group in a stable order: users (live) and nested groups, each once, cycles
     * tolerated.
     */
    synchronized List<Object> transitiveMembers(Group root) {
        List<Object> result = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        Deque<Group> pending = new ArrayDeque<>();
        pending.add(root);
        seen.add(root.id);
        while (!pending.isEmpty()) {
            Group group = pending.removeFirst();
            for (String member : group.members) {
                if (!seen.add(member)) {
                    continue;
                }
                Group nested = groups.get(member);
                if (nested != null) {
                    result.add(nested);
                    pending.addLast(nested);
                } else {
                    StoredUser user = byId.get(member);
                    if (user != null && !user.deleted) {
                        result.add(user);
                    }
                }
            }
        }
        return result;
    }

    /** Items of one page and the position to continue from (-1: the end). */
    record Slice<T>(List<T> items, int next) {
    }
}
