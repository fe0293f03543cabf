package io.usersync.sync.engine;

import io.usersync.common.Ids;
import io.usersync.directory.EmailAddress;
import io.usersync.directory.SyncedUserStore;
import io.usersync.directory.SyncedUserStore.Existing;
import io.usersync.directory.UserSource;
import io.usersync.sync.port.DirectoryUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds a run's plan page by page, without changing anything: each page is compared with the store (looked up
 * in batches, so memory holds only compact per-user keys) and its planned rows are written to the plan. After a
 * complete full read, users of this source that were not seen are planned for deactivation.
 * <p>
 * Rules: in the pool and not denied → active (even if deactivated by hand); removed from the pool, disabled or
 * denied → inactive, never deleted; users of other sources are not touched; names and emails follow the
 * source; a directory user is matched by its immutable id, and on first sight by email to adopt a manual user.
 * Only a directory user that is in the pool and not denied adopts a manual user: one that is disabled, an
 * excluded guest, denied or otherwise out of the pool leaves a manual user with the same email untouched (it
 * neither adopts nor deactivates it). A directory user deleted and re-created with the same email (a new
 * immutable id) takes over the user synced from the old account once that account is no longer in the pool
 * (see {@link #resolveTakeovers}).
 */
final class RunPlanner {

    static final String NO_LAST_NAME = "-";

    private final SyncedUserStore users;
    private final PlanStore plans;
    private final DenyMatcher deny;
    private final UUID mspId;
    private final UUID clientId;
    private final UUID connectionId;
    private final UUID runId;
    private final UserSource source;
    private final boolean includeGuests;

    private final Set<String> seen = new HashSet<>();
    private final Map<String, String> claimedEmails = new HashMap<>();
    private final List<AdminDeactivation> adminDeactivations = new ArrayList<>();
    private final List<Takeover> takeovers = new ArrayList<>();
    private final Set<String> removedIds = new HashSet<>();
    private final Set<UUID> relinked = new HashSet<>();
    private int seq;

    int fetched;
    int inPool;
    int denied;
    int unchanged;
    int activations;
    int deactivations;
    int pages;

    /** A planned deactivation of an administrator, kept to protect the last one. */
    record AdminDeactivation(int seq, String emailKey) {
    }

    RunPlanner(SyncedUserStore users, PlanStore plans, DenyMatcher deny, UUID mspId, UUID clientId,
            UUID connectionId, UUID runId, UserSource source, boolean includeGuests) {
        this.users = users;
        this.plans = plans;
        this.deny = deny;
        this.mspId = mspId;
        this.clientId = clientId;
        this.connectionId = connectionId;
        this.runId = runId;
        this.source = source;
        this.includeGuests = includeGuests;
    }

    /**
     * A directory user in the pool whose email is held by another user synced from this source (under another
     * immutable id): see {@link #resolveTakeovers}.
     */
    private record Takeover(Judged judged, Existing holder, long fingerprint) {
    }

    /** How one directory user is judged against the pool rules. */
    private record Judged(DirectoryUser user, EmailAddress email, String aliases, String firstName, String lastName,
            boolean inPool, boolean denied, String reasonOut) {
        boolean desiredActive() {
            return inPool && !denied;
        }
    }

    /** Plans one page; pages may repeat users (several groups), who are then counted once. */
    void accept(List<DirectoryUser> page) {
        pages++;
        List<Judged> judged = new ArrayList<>(page.size());
        for (DirectoryUser user : page) {
            if (user.externalId() == null || user.externalId().isEmpty() || !seen.add(user.externalId())) {
                continue;
            }
            fetched++;
            if (user.removed()) {
                removedIds.add(user.externalId());
            }
            judged.add(judge(user));
        }
        if (judged.isEmpty()) {
            return;
        }
        Map<String, Existing> byExternal = users.findByExternalKeys(mspId, clientId, source,
                judged.stream().map(j -> j.user().externalId()).toList());
        Map<String, PlanStore.Member> members = plans.members(mspId, connectionId,
                judged.stream().map(j -> j.user().externalId()).toList());
        Set<String> emailKeys = new HashSet<>();
        for (Judged j : judged) {
            Existing existing = byExternal.get(j.user().externalId());
            if (j.email() != null && (existing == null || !j.email().key().equals(existing.emailKey()))) {
                emailKeys.add(j.email().key());
            }
        }
        Map<String, Existing> byEmail = users.findByEmailKeys(mspId, clientId, emailKeys);

        List<PlannedChange> rows = new ArrayList<>();
        for (Judged j : judged) {
            plan(j, byExternal.get(j.user().externalId()), members.get(j.user().externalId()), byEmail, rows);
        }
        plans.insert(mspId, runId, rows);
    }

    private Judged judge(DirectoryUser user) {
        EmailAddress email = user.removed() ? null : EmailAddress.parse(user.primaryEmail()).orElse(null);
        String aliases = email == null ? "" : DenyMatcher.aliasKeys(user.aliases(), email.key());
        String reason = null;
        if (user.removed()) {
            reason = "deleted from the directory";
        } else if (!user.enabled()) {
            reason = "disabled, suspended or archived in the directory";
        } else if (user.guest() && !includeGuests) {
            reason = "guest account (guests are excluded)";
        } else if (email == null) {
            reason = "no usable email address";
        }
        boolean pool = reason == null;
        boolean isDenied = pool && deny.denies(email.key(), aliases);
        if (pool) {
            inPool++;
            if (isDenied) {
                denied++;
            }
        }
        String first = email == null ? null : clean(user.firstName(), email.key().substring(0, email.key().indexOf('@')));
        String last = email == null ? null : clean(user.lastName(), NO_LAST_NAME);
        return new Judged(user, email, aliases, first, last, pool, isDenied, reason);
    }

    private void plan(Judged j, Existing existing, PlanStore.Member member, Map<String, Existing> byEmail,
            List<PlannedChange> rows) {
        String externalId = j.user().externalId();
        if (j.email() != null && j.inPool()) {
            String claimedBy = claimedEmails.putIfAbsent(j.email().key(), externalId);
            if (claimedBy != null && !claimedBy.equals(externalId)) {
                rows.add(row(ChangeKind.SKIPPED, existing == null ? null : existing.id(), externalId, j, null,
                        "another directory user (" + claimedBy + ") has the same email"));
                return;
            }
        }
        long fingerprint = fingerprint(j);
        int firstRow = rows.size();
        UUID userId;
        boolean active;
        boolean admin;
        String emailKey;
        if (existing == null) {
            if (j.email() == null) {
                // Not in the store and nothing usable to create: only counted (skipped if it would have been in the pool).
                if (j.reasonOut() != null && j.reasonOut().startsWith("no usable")) {
                    rows.add(row(ChangeKind.SKIPPED, null, externalId, j, null, j.reasonOut()));
                }
                return;
            }
            Existing holder = byEmail.get(j.email().key());
            if (holder != null && holder.source() != UserSource.MANUAL) {
                if (j.desiredActive() && holder.source() == source && holder.externalKey() != null) {
                    // Possibly the same person re-created in the directory: decided once the read is complete.
                    takeovers.add(new Takeover(j, holder, fingerprint));
                } else if (j.desiredActive()) {
                    rows.add(row(ChangeKind.SKIPPED, null, externalId, j, null, "the email " + j.email().value()
                            + " belongs to another user synced from " + holder.source()));
                }
                return;
            }
            if (holder != null && j.desiredActive()) {
                rows.add(row(ChangeKind.ADOPT, holder.id(), externalId, j, null,
                        "existing manual user with the same email now follows the directory"));
                userId = holder.id();
                active = holder.active();
                admin = holder.admin();
                emailKey = holder.emailKey();
                if (holder.identityHash() != identityHash(j)) {
                    rows.add(row(ChangeKind.UPDATE, userId, externalId, j, j, "names and email from the directory"));
                }
            } else if (holder == null && j.desiredActive()) {
                userId = Ids.newId();
                rows.add(row(ChangeKind.CREATE, userId, externalId, j, j, "new user in the pool"));
                activations++;
                attachSnapshot(rows, firstRow, j, userId, fingerprint);
                return;
            } else {
                // Out of the pool or denied: nothing to create, and a manual user with the same email is left
                // alone (only a directory user that would be active may adopt one).
                if (j.denied()) {
                    rows.add(row(ChangeKind.DENIED, null, externalId, j, null, holder == null
                            ? "on the deny list; not created"
                            : "on the deny list; the manual user with this email is left alone"));
                }
                return;
            }
        } else {
            userId = existing.id();
            active = existing.active();
            admin = existing.admin();
            emailKey = existing.emailKey();
            if (j.email() != null && existing.identityHash() != identityHash(j)) {
                Existing holder = byEmail.get(j.email().key());
                if (holder != null && !holder.id().equals(existing.id())) {
                    rows.add(row(ChangeKind.SKIPPED, userId, externalId, j, null, "cannot take the email "
                            + j.email().value() + ": another user of this client account has it"));
                } else {
                    rows.add(row(ChangeKind.UPDATE, userId, externalId, j, j, "names and email from the directory"));
                }
            }
        }
        if (j.denied()) {
            rows.add(row(ChangeKind.DENIED, userId, externalId, j, null, "on the deny list"));
        }
        boolean desired = j.desiredActive();
        if (desired && !active) {
            rows.add(row(ChangeKind.ACTIVATE, userId, externalId, j, null, "in the pool"));
            activations++;
        } else if (!desired && active) {
            deactivate(rows, userId, externalId, j, admin, emailKey,
                    j.denied() ? "on the deny list" : j.reasonOut());
        }
        if (rows.size() == firstRow) {
            boolean snapshotCurrent = member != null && member.fingerprint() == fingerprint
                    && member.inPool() == j.inPool() && userId.equals(member.userId());
            if (snapshotCurrent) {
                unchanged++;
                return;
            }
            unchanged++;
            rows.add(row(ChangeKind.SNAPSHOT, userId, externalId, j, null, null));
        }
        attachSnapshot(rows, firstRow, j, userId, fingerprint);
    }

    private void deactivate(List<PlannedChange> rows, UUID userId, String externalId, Judged j, boolean admin,
            String emailKey, String reason) {
        int rowSeq = seq + 1;
        rows.add(row(ChangeKind.DEACTIVATE, userId, externalId, j, null, reason));
        deactivations++;
        if (admin) {
            adminDeactivations.add(new AdminDeactivation(rowSeq, emailKey));
        }
    }

    /**
     * After a complete full read: every live user of this source that was not seen is out of the pool, and is
     * planned for deactivation if active; members no longer seen leave the pool.
     */
    void finishFullRead() {
        List<PlannedChange> rows = new ArrayList<>();
        resolveTakeovers(true, rows);
        Set<String> handled = new HashSet<>();
        users.forEachOfSource(mspId, clientId, source, existing -> {
            if (existing.externalKey() == null || seen.contains(existing.externalKey())) {
                return;
            }
            if (relinked.contains(existing.id())) {
                return;
            }
            handled.add(existing.externalKey());
            if (existing.active()) {
                int at = rows.size();
                deactivate(rows, existing.id(), existing.externalKey(), null, existing.admin(), existing.emailKey(),
                        "no longer in the pool");
                rows.set(at, rows.get(at).withSnapshot(false, null, 0L));
            }
            flushIfLarge(rows);
        });
        plans.forEachInPool(mspId, connectionId, member -> {
            if (!seen.contains(member.externalId()) && !handled.contains(member.externalId())) {
                rows.add(row(ChangeKind.SNAPSHOT, member.userId(), member.externalId(), null, null, null)
                        .withSnapshot(false, null, 0L));
                flushIfLarge(rows);
            }
        });
        plans.insert(mspId, runId, rows);
    }

    /**
     * After a complete incremental (delta) read: users the delta did not mention are unchanged in the directory,
     * so a synced user of this source who is inactive although the connection's view has them in the pool and not
     * denied was deactivated by hand, and is reactivated now (sync overrides manual changes, as the deactivation
     * notice promises) instead of at the next full reconcile. Streams the source's inactive users only (a delta
     * round costs what changed, not the size of the tenant) and looks them up in chunks.
     */
    void finishDeltaRead() {
        List<Existing> inactive = new ArrayList<>();
        List<PlannedChange> rows = new ArrayList<>();
        resolveTakeovers(false, rows);
        users.forEachInactiveOfSource(mspId, clientId, source, existing -> {
            if (existing.active() || existing.externalKey() == null || seen.contains(existing.externalKey())
                    || relinked.contains(existing.id())) {
                return;
            }
            inactive.add(existing);
            if (inactive.size() >= 1000) {
                reactivateUnchanged(inactive, rows);
                inactive.clear();
                flushIfLarge(rows);
            }
        });
        reactivateUnchanged(inactive, rows);
        plans.insert(mspId, runId, rows);
    }

    /**
     * A directory user deleted and re-created with the same email gets a new immutable id, while the user synced
     * from the old account (usually inactive by now) still holds the email. Once the read is complete, the new
     * directory user (in the pool, not denied) takes that user over — a {@link ChangeKind#RELINK} row replaces
     * its external id, then the usual UPDATE / ACTIVATE rows follow — when the old account is no longer in the
     * pool as far as this run can tell:
     * <ul>
     * <li>this run saw the old account as deleted, or</li>
     * <li>a full read did not return it (the directory cannot list two users with one email, so it is gone or has
     * left the pool under another email), or</li>
     * <li>an incremental read did not mention it and the connection's last view has it out of the pool.</li>
     * </ul>
     * The user keeps its id and history, so billing sees one user rather than a new one. When this run read the
     * old account under another email (renamed, and the email reused), the new directory user is created after
     * that rename instead. When an incremental read cannot tell (the connection still has the old account in the
     * pool), the new directory user is SKIPPED with the reason, and the next full read decides.
     */
    private void resolveTakeovers(boolean fullRead, List<PlannedChange> rows) {
        if (takeovers.isEmpty()) {
            return;
        }
        Map<String, PlanStore.Member> members = plans.members(mspId, connectionId,
                takeovers.stream().map(t -> t.holder().externalKey()).toList());
        for (Takeover t : takeovers) {
            Judged j = t.judged();
            Existing holder = t.holder();
            String oldId = holder.externalKey();
            String newId = j.user().externalId();
            if (seen.contains(oldId) && !removedIds.contains(oldId)) {
                // The old account still exists under another email (a rename this run applies before this row):
                // the email is free by then, so this is a new user. Applying re-checks that the email is free.
                UUID userId = Ids.newId();
                int firstRow = rows.size();
                rows.add(row(ChangeKind.CREATE, userId, newId, j, j, "new user in the pool (the email was held by "
                        + oldId + ", renamed in the directory)"));
                activations++;
                attachSnapshot(rows, firstRow, j, userId, t.fingerprint());
                continue;
            }
            String refusal = null;
            if (!seen.contains(oldId) && !fullRead) {
                PlanStore.Member member = members.get(oldId);
                if (member != null && member.inPool()) {
                    refusal = "the email " + j.email().value() + " belongs to the user synced from " + source
                            + " as " + oldId + ", which is still in the pool as far as this connection knows; the"
                            + " next full read decides";
                }
            }
            if (refusal != null) {
                rows.add(row(ChangeKind.SKIPPED, null, newId, j, null, refusal));
                continue;
            }
            int firstRow = rows.size();
            rows.add(row(ChangeKind.RELINK, holder.id(), newId, j, null, "re-created in the directory with the same"
                    + " email: the user synced as " + oldId + " now follows " + newId));
            relinked.add(holder.id());
            if (holder.identityHash() != identityHash(j)) {
                rows.add(row(ChangeKind.UPDATE, holder.id(), newId, j, j, "names and email from the directory"));
            }
            if (!holder.active()) {
                rows.add(row(ChangeKind.ACTIVATE, holder.id(), newId, j, null, "in the pool"));
                activations++;
            }
            attachSnapshot(rows, firstRow, j, holder.id(), t.fingerprint());
        }
        takeovers.clear();
    }

    private void reactivateUnchanged(List<Existing> inactive, List<PlannedChange> rows) {
        if (inactive.isEmpty()) {
            return;
        }
        Map<String, PlanStore.Member> members = plans.members(mspId, connectionId,
                inactive.stream().map(Existing::externalKey).toList());
        for (Existing existing : inactive) {
            PlanStore.Member member = members.get(existing.externalKey());
            if (member == null || !member.inPool() || !existing.id().equals(member.userId())
                    || deny.denies(member.emailKey(), member.aliases())) {
                continue;
            }
            rows.add(snapshotRow(ChangeKind.ACTIVATE, existing.id(), existing.externalKey(), member,
                    "in the pool (a manual deactivation does not outlast the next sync)"));
            activations++;
        }
    }

    /**
     * Re-evaluates the deny list against the connection's last complete view of the pool, without a provider
     * fetch: members in the pool become active unless denied, denied ones inactive.
     */
    void planFromSnapshot() {
        Map<String, PlanStore.Member> batch = new LinkedHashMap<>();
        plans.forEachInPool(mspId, connectionId, member -> {
            if (member.userId() != null) {
                batch.put(member.externalId(), member);
            }
        });
        List<String> ids = List.copyOf(batch.keySet());
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            Map<String, Existing> byExternal = users.findByExternalKeys(mspId, clientId, source, chunk);
            List<PlannedChange> rows = new ArrayList<>();
            for (String externalId : chunk) {
                PlanStore.Member member = batch.get(externalId);
                Existing existing = byExternal.get(externalId);
                fetched++;
                inPool++;
                if (existing == null) {
                    continue;
                }
                boolean isDenied = deny.denies(member.emailKey(), member.aliases());
                if (isDenied) {
                    denied++;
                    rows.add(snapshotRow(ChangeKind.DENIED, existing.id(), externalId, member, "on the deny list"));
                }
                if (isDenied && existing.active()) {
                    int rowSeq = seq + 1;
                    rows.add(snapshotRow(ChangeKind.DEACTIVATE, existing.id(), externalId, member,
                            "on the deny list"));
                    deactivations++;
                    if (existing.admin()) {
                        adminDeactivations.add(new AdminDeactivation(rowSeq, existing.emailKey()));
                    }
                } else if (!isDenied && !existing.active()) {
                    rows.add(snapshotRow(ChangeKind.ACTIVATE, existing.id(), externalId, member,
                            "no longer on the deny list"));
                    activations++;
                } else if (!isDenied) {
                    unchanged++;
                }
            }
            plans.insert(mspId, runId, rows);
        }
    }

    List<AdminDeactivation> adminDeactivations() {
        return adminDeactivations;
    }

    int rows() {
        return seq;
    }

    // ---------------------------------------------------------------- helpers

    private void flushIfLarge(List<PlannedChange> rows) {
        if (rows.size() >= 1000) {
            plans.insert(mspId, runId, List.copyOf(rows));
            rows.clear();
        }
    }

    private PlannedChange row(ChangeKind kind, UUID userId, String externalId, Judged j, Judged identity,
            String detail) {
        EmailAddress email = j == null ? null : j.email();
        return new PlannedChange(++seq, kind, userId, externalId, email == null ? null : email.value(),
                email == null ? null : email.key(), identity == null ? null : identity.firstName(),
                identity == null ? null : identity.lastName(), detail, null, null, null, null);
    }

    private PlannedChange snapshotRow(ChangeKind kind, UUID userId, String externalId, PlanStore.Member member,
            String detail) {
        return new PlannedChange(++seq, kind, userId, externalId, null, member.emailKey(), null, null, detail,
                member.inPool(), member.aliases(), member.fingerprint(), null);
    }

    private static void attachSnapshot(List<PlannedChange> rows, int firstRow, Judged j, UUID userId,
            long fingerprint) {
        PlannedChange first = rows.get(firstRow);
        PlannedChange withUser = new PlannedChange(first.seq(), first.kind(), first.userId() == null ? userId
                : first.userId(), first.externalId(), first.email(), first.emailKey(), first.firstName(),
                first.lastName(), first.detail(), null, null, null, first.outcome());
        rows.set(firstRow, withUser.withSnapshot(j.inPool(), j.aliases(), fingerprint));
    }

    private static long identityHash(Judged j) {
        return SyncedUserStore.identityHash(j.email().value(), j.firstName(), j.lastName());
    }

    /** Digest of everything the connection remembers about a directory user (identity and aliases). */
    private static long fingerprint(Judged j) {
        if (j.email() == null) {
            return 0L;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest((j.email().value() + "\u0000" + j.firstName() + "\u0000" + j.lastName()
                    + "\u0000" + j.aliases()).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Provider names can be empty or contain characters the API refuses: keep them valid. */
    static String clean(String name, String fallback) {
        String value = name == null ? "" : name.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (value.isEmpty()) {
            value = fallback;
        }
        if (value.codePointCount(0, value.length()) > 100) {
            value = value.substring(0, value.offsetByCodePoints(0, 100));
        }
        return value;
    }
}
