package io.usersync.directory;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.usersync.common.Ids;
import io.usersync.common.Page;
import io.usersync.common.Text;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.text.Normalizer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * User management with the rules of the "Users and Billing" page:
 * <ul>
 * <li>a client account always keeps at least one active administrator;</li>
 * <li>an administrator must be demoted before being deactivated;</li>
 * <li>activations never exceed the client account's user limit;</li>
 * <li>every change of billable state, and every deletion, is recorded by {@link StatusLog} in the same
 * transaction.</li>
 * </ul>
 * Each mutation first locks the client account row, which serialises concurrent changes to the same account
 * so the invariants cannot be raced.
 */
@ApplicationScoped
@Transactional
public class UserService {

    static final int MAX_NAME = 100;

    @Inject
    TenantService tenants;

    @Inject
    StatusLog statusLog;

    @Inject
    AppClock clock;

    /** The fields of a new user. {@code active} defaults to true, {@code admin} to false. */
    public record NewUser(String firstName, String lastName, String email, Boolean active, Boolean admin) {
    }

    /** A user after a change, with an optional notice the caller should show (e.g. "sync will undo this"). */
    public record Outcome(User user, String notice) {
    }

    /** Listing filters; null members do not filter. */
    public record Filter(Boolean active, UserSource source, String emailPrefix) {
    }

    public User create(Caller caller, UUID clientId, NewUser request) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        return createLocked(caller, client, request);
    }

    /** Creates a user in a client account the caller has already locked (used by client onboarding). */
    @Transactional(Transactional.TxType.MANDATORY)
    public User createLocked(Caller caller, ClientAccount client, NewUser request) {
        String firstName = requireName(request.firstName(), "firstName");
        String lastName = requireName(request.lastName(), "lastName");
        EmailAddress email = requireEmail(request.email(), "email");
        boolean active = request.active() == null || request.active();
        boolean admin = request.admin() != null && request.admin();
        if (admin && !active) {
            throw new DomainException(ProblemType.CONFLICT, "An administrator must be an active user",
                    List.of(new DomainException.FieldProblem("admin", "requires active=true")));
        }
        requireEmailFree(client, email, null);
        if (active) {
            requireRoomForActivation(client, 1);
        }
        Instant now = clock.now();
        User user = new User();
        user.id = Ids.newId();
        user.mspId = client.mspId;
        user.clientId = client.id;
        user.firstName = firstName;
        user.lastName = lastName;
        user.email = email.value();
        user.emailKey = email.key();
        user.active = active;
        user.admin = admin;
        user.source = UserSource.MANUAL;
        user.createdAt = now;
        user.updatedAt = now;
        user.persist();
        if (active) {
            statusLog.record(new StatusChange(Ids.newId(), user.mspId, user.clientId, user.id, null, true,
                    ChangeCause.MANUAL, caller.subject(), null, now));
        }
        return user;
    }

    public User get(Caller caller, UUID clientId, UUID userId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        return find(client, userId);
    }

    /** A page of users and the client account's "Total Active Users", read from one snapshot. */
    public record Listing(Page<User> page, long totalActive) {
    }

    /**
     * Lists users in id order (stable cursor pagination: a user is never shown twice nor skipped while users are
     * added between pages). The total counts every active user of the client account, whatever the filters.
     */
    public Listing list(Caller caller, UUID clientId, Filter filter, UUID after, int limit) {
        ClientAccount client = tenants.getClient(caller, clientId);
        StringBuilder query = new StringBuilder("mspId = :msp and clientId = :client and deletedAt is null");
        Parameters params = Parameters.with("msp", client.mspId).and("client", client.id);
        if (filter.active() != null) {
            query.append(" and active = :active");
            params.and("active", filter.active());
        }
        if (filter.source() != null) {
            query.append(" and source = :source");
            params.and("source", filter.source());
        }
        if (filter.emailPrefix() != null && !filter.emailPrefix().isEmpty()) {
            // the key has the ASCII (punycode) domain, the address the form it was entered in: either matches
            query.append(" and (emailKey like :prefix escape '!' or lower(email) like :prefix escape '!')");
            params.and("prefix", likePrefix(filter.emailPrefix()));
        }
        if (after != null) {
            query.append(" and id > :after");
            params.and("after", after);
        }
        List<User> rows = User.<User>find(query.toString(), Sort.by("id"), params).page(0, limit + 1).list();
        return new Listing(Page.of(rows, limit, u -> u.id), countActive(client));
    }

    /** The "Total Active Users" figure of a client account. */
    public long countActive(Caller caller, UUID clientId) {
        return countActive(tenants.getClient(caller, clientId));
    }

    public Outcome update(Caller caller, UUID clientId, UUID userId, String firstName, String lastName,
            String email) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        User user = find(client, userId);
        if (firstName != null) {
            user.firstName = requireName(firstName, "firstName");
        }
        if (lastName != null) {
            user.lastName = requireName(lastName, "lastName");
        }
        if (email != null) {
            EmailAddress address = requireEmail(email, "email");
            requireEmailFree(client, address, user.id);
            user.email = address.value();
            user.emailKey = address.key();
        }
        user.updatedAt = clock.now();
        String notice = user.source == UserSource.MANUAL ? null
                : "This user is synced from " + user.source + "; the next sync will overwrite names and email";
        return new Outcome(user, notice);
    }

    public Outcome activate(Caller caller, UUID clientId, UUID userId) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        User user = find(client, userId);
        if (!user.active) {
            requireRoomForActivation(client, 1);
            setActive(caller, user, true);
        }
        return new Outcome(user, null);
    }

    public Outcome deactivate(Caller caller, UUID clientId, UUID userId) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        User user = find(client, userId);
        if (user.active && user.admin) {
            throw new DomainException(ProblemType.ADMINISTRATOR_MUST_BE_DEMOTED,
                    "User " + user.id + " is an administrator; remove the administrator role before deactivating."
                            + (countActiveAdmins(client) <= 1
                                    ? " It is also the last active administrator of this client account." : ""));
        }
        if (user.active) {
            setActive(caller, user, false);
        }
        String notice = user.source == UserSource.MANUAL ? null
                : "This user is synced from " + user.source + " and is still in the sync pool; the next sync "
                        + "will reactivate them unless you add them to the connection's deny list";
        return new Outcome(user, notice);
    }

    public User setAdministrator(Caller caller, UUID clientId, UUID userId, boolean admin) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        User user = find(client, userId);
        if (admin && !user.active) {
            throw new DomainException(ProblemType.CONFLICT, "Only an active user can be an administrator; "
                    + "activate the user first");
        }
        if (!admin && user.admin && user.active && countActiveAdmins(client) <= 1) {
            throw new DomainException(ProblemType.LAST_ADMINISTRATOR, "User " + user.id
                    + " is the last active administrator of this client account; promote another user first");
        }
        if (user.admin != admin) {
            user.admin = admin;
            user.updatedAt = clock.now();
        }
        return user;
    }

    /**
     * Deletes a user: the row stays for history (its email can be reused), billing stops from now, and the
     * deletion is a recorded event.
     */
    public void delete(Caller caller, UUID clientId, UUID userId) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        User user = find(client, userId);
        if (user.admin && user.active && countActiveAdmins(client) <= 1) {
            throw new DomainException(ProblemType.LAST_ADMINISTRATOR, "User " + user.id
                    + " is the last active administrator of this client account; promote another user first");
        }
        Instant now = clock.now();
        boolean wasActive = user.active;
        user.active = false;
        user.admin = false;
        user.emailKey = null;
        user.externalKey = null;
        user.deletedAt = now;
        user.updatedAt = now;
        statusLog.record(new StatusChange(Ids.newId(), user.mspId, user.clientId, user.id, wasActive, false,
                ChangeCause.DELETE, caller.subject(), null, now));
    }

    /** Billable-state history of one user, or of the whole client account when {@code userId} is null. */
    public Page<UserStatusEvent> history(Caller caller, UUID clientId, UUID userId, UUID after, int limit) {
        ClientAccount client = tenants.getClient(caller, clientId);
        StringBuilder query = new StringBuilder("mspId = :msp and clientId = :client");
        Parameters params = Parameters.with("msp", client.mspId).and("client", client.id);
        if (userId != null) {
            findIncludingDeleted(client, userId);
            query.append(" and userId = :user");
            params.and("user", userId);
        }
        if (after != null) {
            query.append(" and id > :after");
            params.and("after", after);
        }
        List<UserStatusEvent> rows = UserStatusEvent.<UserStatusEvent>find(query.toString(), Sort.by("id"), params)
                .page(0, limit + 1).list();
        return Page.of(rows, limit, e -> e.id);
    }

    // ---------------------------------------------------------------- helpers

    private void setActive(Caller caller, User user, boolean active) {
        Instant now = clock.now();
        user.active = active;
        user.updatedAt = now;
        statusLog.record(new StatusChange(Ids.newId(), user.mspId, user.clientId, user.id, !active, active,
                ChangeCause.MANUAL, caller.subject(), null, now));
    }

    /** A live user of the (already tenant-checked) client account, or 404. */
    private static User find(ClientAccount client, UUID userId) {
        User user = findIncludingDeleted(client, userId);
        if (user.deletedAt != null) {
            throw DomainException.notFound("User");
        }
        return user;
    }

    /** A user of the client account, deleted ones included (their history stays readable), or 404. */
    private static User findIncludingDeleted(ClientAccount client, UUID userId) {
        User user = User.<User>find("id = ?1 and mspId = ?2 and clientId = ?3", userId, client.mspId, client.id)
                .firstResult();
        if (user == null) {
            throw DomainException.notFound("User");
        }
        return user;
    }

    /*
     * Counts as explicit "select count" queries: Panache's count() goes through Hibernate's getResultCount(), which
     * translates a fresh count query to SQL on every call (about half the CPU of a users-list request); these
     * are translated once and kept in the query plan cache.
     */
    static long countActive(ClientAccount client) {
        return count("select count(u) from User u where u.mspId = ?1 and u.clientId = ?2 and u.active = true"
                + " and u.deletedAt is null", client);
    }

    private static long countActiveAdmins(ClientAccount client) {
        return count("select count(u) from User u where u.mspId = ?1 and u.clientId = ?2 and u.active = true"
                + " and u.admin = true and u.deletedAt is null", client);
    }

    private static long count(String hql, ClientAccount client) {
        return User.getEntityManager().createQuery(hql, Long.class).setParameter(1, client.mspId)
                .setParameter(2, client.id).getSingleResult();
    }

    private static void requireRoomForActivation(ClientAccount client, int more) {
        if (client.userLimit != null && countActive(client) + more > client.userLimit) {
            throw new DomainException(ProblemType.USER_LIMIT_REACHED, "The client account allows at most "
                    + client.userLimit + " active users and is at its limit; deactivate a user or raise the limit");
        }
    }

    private static void requireEmailFree(ClientAccount client, EmailAddress email, UUID except) {
        User existing = User.find("mspId = ?1 and clientId = ?2 and emailKey = ?3", client.mspId, client.id,
                email.key()).firstResult();
        if (existing != null && !existing.id.equals(except)) {
            throw new DomainException(ProblemType.EMAIL_TAKEN,
                    "Another user of this client account already has the email " + email.value(),
                    List.of(new DomainException.FieldProblem("email", "already used in this client account")));
        }
    }

    static String requireName(String value, String field) {
        return Text.requireName(value, field, MAX_NAME);
    }

    static EmailAddress requireEmail(String value, String field) {
        String why = EmailAddress.whyInvalid(value);
        if (why != null) {
            throw DomainException.invalidField(field, why);
        }
        return EmailAddress.parse(value).orElseThrow();
    }

    private static String likePrefix(String prefix) {
        if (prefix.length() > EmailAddress.MAX_LENGTH) {
            throw DomainException.invalidField("email", "prefix must be at most 254 characters");
        }
        if (prefix.codePoints().anyMatch(cp -> Character.isISOControl(cp)
                || Character.getType(cp) == Character.SURROGATE)) {
            throw DomainException.invalidField("email", "prefix must not contain control characters");
        }
        String lowered = Normalizer.normalize(prefix.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        return lowered.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
