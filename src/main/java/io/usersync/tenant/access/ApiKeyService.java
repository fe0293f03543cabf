package io.usersync.tenant.access;

import io.usersync.common.Ids;
import io.usersync.common.Text;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * API keys: the rules of who may hold, see and revoke them, and how a presented key becomes a {@link Caller}.
 * <ul>
 * <li>A key belongs to one MSP (the caller it stands for is an {@code msp-admin} of that MSP) or to one client
 * account ({@code client-admin} of it). No key is ever an operator.</li>
 * <li>Keys are managed by people, not by keys: a caller authenticated with an API key may not create, list or
 * revoke keys (so a leaked key cannot mint itself a successor). Operators and MSP admins manage the keys of
 * their MSP and its client accounts; client admins those of their client account.</li>
 * <li>The secret is shown once, at creation; only its hash is stored. Revoking is immediate on every replica
 * (each request reads the key). An expired or revoked key, or one whose client account was deleted, does not
 * authenticate.</li>
 * </ul>
 */
@ApplicationScoped
@Transactional
public class ApiKeyService {

    @Inject
    AppClock clock;

    @Inject
    TenantService tenants;

    @Inject
    ApiKeyUsage usage;

    @Inject
    AccessConfig config;

    /** A new key and its secret, which is never available again. */
    public record Created(ApiKey key, String secret) {
    }

    /** The keys of an MSP itself ({@code clientId} null) or of one of its client accounts. */
    public record Scope(UUID mspId, UUID clientId) {
    }

    /** Resolves the scope of {@code /api/msps/{mspId}/api-keys}: the MSP, visible to an MSP admin or operator. */
    public Scope mspScope(Caller caller, UUID mspId) {
        tenants.getMsp(caller, mspId);
        return new Scope(mspId, null);
    }

    /** Resolves the scope of {@code /api/clients/{clientId}/api-keys}: a live client account visible to the caller. */
    public Scope clientScope(Caller caller, UUID clientId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        return new Scope(client.mspId, client.id);
    }

    public Created create(Caller caller, Scope scope, String name, Instant expiresAt) {
        Instant now = clock.now();
        String validName = Text.requireName(name, "name", 100);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw DomainException.invalidField("expiresAt", "must be in the future");
        }
        long existing = ApiKey.count("mspId", scope.mspId());
        if (existing >= config.maxPerMsp()) {
            throw new DomainException(ProblemType.CONFLICT, "This MSP has " + existing + " API keys, the most "
                    + "allowed; revoked and expired keys count too until the operator removes them");
        }
        ApiKey key = new ApiKey();
        key.id = Ids.newId();
        key.mspId = scope.mspId();
        key.clientId = scope.clientId();
        key.name = validName;
        key.role = scope.clientId() == null ? Role.MSP_ADMIN : Role.CLIENT_ADMIN;
        String secret = ApiKeySecret.newKey(key.id);
        key.secretHash = ApiKeySecret.hash(key.id, ApiKeySecret.parse(secret).secret());
        key.createdBy = caller.subject();
        key.createdAt = now;
        key.expiresAt = expiresAt;
        key.persist();
        return new Created(key, secret);
    }

    /** The keys of the scope, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ApiKey> list(Scope scope) {
        List<ApiKey> keys = scope.clientId() == null
                ? ApiKey.<ApiKey>list("mspId = ?1 and clientId is null order by createdAt desc, id desc", scope.mspId())
                : ApiKey.<ApiKey>list("mspId = ?1 and clientId = ?2 order by createdAt desc, id desc", scope.mspId(),
                        scope.clientId());
        return keys;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ApiKey get(Scope scope, UUID keyId) {
        return find(scope, keyId);
    }

    /** Revokes the key (idempotent: revoking a revoked key changes nothing). */
    public ApiKey revoke(Caller caller, Scope scope, UUID keyId) {
        ApiKey key = find(scope, keyId);
        if (key.revokedAt == null) {
            key.revokedAt = clock.now();
            key.revokedBy = caller.subject();
        }
        return key;
    }

    /**
     * The caller a presented key stands for, or null when it authenticates nobody (malformed, unknown, wrong
     * secret, revoked, expired, or its client account deleted). Records the use for {@link ApiKeyUsage}.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Caller authenticate(String presented) {
        ApiKeySecret.Presented parsed = ApiKeySecret.parse(presented);
        if (parsed == null) {
            return null;
        }
        ApiKey key = ApiKey.findById(parsed.id());
        if (key == null || !ApiKeySecret.matches(parsed, key.secretHash)) {
            return null;
        }
        Instant now = clock.now();
        if (!key.usableAt(now)) {
            return null;
        }
        if (key.clientId != null) {
            ClientAccount client = ClientAccount.findById(key.clientId);
            if (client == null || client.deletedAt != null || !client.mspId.equals(key.mspId)) {
                return null;
            }
        }
        usage.used(key.id, now);
        return new Caller(subject(key.id), key.role, key.mspId, key.clientId);
    }

    /** The actor name a key's changes are recorded under. */
    public static String subject(UUID keyId) {
        return "api-key:" + keyId;
    }

    private static ApiKey find(Scope scope, UUID keyId) {
        ApiKey key = ApiKey.findById(keyId);
        if (key == null || !key.mspId.equals(scope.mspId()) || !java.util.Objects.equals(key.clientId,
                scope.clientId())) {
            throw DomainException.notFound("API key");
        }
        return key;
    }

    /** When the key was last used: its stored time, or this replica's newer use not yet written. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Instant lastUsed(ApiKey key) {
        Instant pending = usage.pending(key.id);
        return pending != null && (key.lastUsedAt == null || pending.isAfter(key.lastUsedAt)) ? pending
                : key.lastUsedAt;
    }

    /** ACTIVE, EXPIRED or REVOKED now. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String status(ApiKey key) {
        return key.status(clock.now());
    }
}
