package io.usersync.sync.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usersync.common.Ids;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.directory.EmailAddress;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.Provider;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Directory connections of client accounts: settings, pool definition and write-only credentials (encrypted
 * with {@link CredentialCipher}; never returned, never logged).
 */
@ApplicationScoped
@Transactional
public class ConnectionService {

    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern TENANT_DOMAIN = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern GOOGLE_CUSTOMER = Pattern.compile("^[A-Za-z0-9_]{1,64}$");
    private static final int MAX_POOL_ENTRIES = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    TenantService tenants;

    @Inject
    CredentialCipher cipher;

    @Inject
    SyncConfig config;

    @Inject
    AppClock clock;

    @Inject
    ObjectMapper json;

    @Inject
    EntityManager em;

    /**
     * Settings of a connection. On update, null members are left unchanged; {@code credentials} replaces the
     * stored ones when present.
     */
    public record Settings(Boolean enabled, PoolSpec pool, Integer scheduleMinutes, Integer massDeactivationPercent,
            Integer massDeactivationMinimum, Credentials credentials) {
    }

    /** A connection with its pool. */
    public record View(DirectoryConnection connection, PoolSpec pool) {
    }

    public View create(Caller caller, UUID clientId, Provider provider, Settings settings) {
        ClientAccount client = tenants.lockClient(caller, clientId);
        if (provider == null) {
            throw DomainException.invalidField("provider", "must be M365 or GOOGLE");
        }
        if (settings.credentials() == null) {
            throw DomainException.invalidField("credentials", "are required");
        }
        // Input first (400), then state (409).
        Credentials credentials = validCredentials(provider, settings.credentials());
        PoolSpec pool = validPool(provider, settings.pool() == null ? PoolSpec.everyone() : settings.pool());
        int schedule = validSchedule(settings.scheduleMinutes() == null ? config.schedule().defaultMinutes()
                : settings.scheduleMinutes());
        int percent = validPercent(settings.massDeactivationPercent() == null
                ? config.guard().massDeactivationPercent() : settings.massDeactivationPercent());
        int minimum = validMinimum(settings.massDeactivationMinimum() == null
                ? config.guard().massDeactivationMinimum() : settings.massDeactivationMinimum());
        if (DirectoryConnection.count("mspId = ?1 and clientId = ?2 and provider = ?3", client.mspId, client.id,
                provider) > 0) {
            throw new DomainException(ProblemType.CONFLICT, "This client account already has a " + provider
                    + " connection; change it instead of creating another",
                    List.of(new DomainException.FieldProblem("provider", "already connected")));
        }
        Instant now = clock.now();
        DirectoryConnection connection = new DirectoryConnection();
        connection.id = Ids.newId();
        connection.mspId = client.mspId;
        connection.clientId = client.id;
        connection.provider = provider;
        connection.enabled = settings.enabled() == null || settings.enabled();
        connection.scheduleMinutes = schedule;
        connection.massDeactivationPercent = percent;
        connection.massDeactivationMinimum = minimum;
        applyPool(connection, pool);
        storeCredentials(connection, credentials, now);
        connection.nextDueAt = now;
        connection.createdAt = now;
        connection.updatedAt = now;
        connection.persist();
        writePoolEntries(connection, pool);
        return new View(connection, pool);
    }

    public View update(Caller caller, UUID clientId, UUID connectionId, Settings settings) {
        DirectoryConnection connection = find(caller, clientId, connectionId);
        Instant now = clock.now();
        if (settings.enabled() != null) {
            connection.enabled = settings.enabled();
        }
        if (settings.scheduleMinutes() != null) {
            connection.scheduleMinutes = validSchedule(settings.scheduleMinutes());
            connection.nextDueAt = now.plus(Duration.ofMinutes(connection.scheduleMinutes));
        }
        if (settings.massDeactivationPercent() != null) {
            connection.massDeactivationPercent = validPercent(settings.massDeactivationPercent());
        }
        if (settings.massDeactivationMinimum() != null) {
            connection.massDeactivationMinimum = validMinimum(settings.massDeactivationMinimum());
        }
        PoolSpec pool = pool(connection);
        if (settings.pool() != null) {
            pool = validPool(connection.provider, settings.pool());
            applyPool(connection, pool);
            writePoolEntries(connection, pool);
            // A different pool invalidates the incremental read position and any plan made from the old pool.
            connection.deltaToken = null;
            connection.settingsRevision++;
        }
        if (settings.credentials() != null) {
            storeCredentials(connection, validCredentials(connection.provider, settings.credentials()), now);
            connection.deltaToken = null;
            connection.settingsRevision++;
        }
        connection.updatedAt = now;
        return new View(connection, pool);
    }

    public View get(Caller caller, UUID clientId, UUID connectionId) {
        DirectoryConnection connection = find(caller, clientId, connectionId);
        return new View(connection, pool(connection));
    }

    public List<View> list(Caller caller, UUID clientId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        List<DirectoryConnection> rows = DirectoryConnection.list("mspId = ?1 and clientId = ?2 order by createdAt",
                client.mspId, client.id);
        return rows.stream().map(c -> new View(c, pool(c))).toList();
    }

    /**
     * Removes a connection. Its users stay (with their state); its runs stay as history. Refused while a run
     * holds the connection.
     */
    public void delete(Caller caller, UUID clientId, UUID connectionId) {
        DirectoryConnection connection = find(caller, clientId, connectionId);
        if (connection.leaseOwner != null && connection.leaseExpiresAt != null
                && connection.leaseExpiresAt.isAfter(clock.now())) {
            throw new DomainException(ProblemType.CONFLICT, "A sync run is in progress; retry when it has finished");
        }
        em.createNativeQuery("DELETE FROM connection_pool_entry WHERE msp_id = ?1 AND connection_id = ?2")
                .setParameter(1, connection.mspId).setParameter(2, connection.id).executeUpdate();
        em.createNativeQuery("DELETE FROM deny_entry WHERE msp_id = ?1 AND connection_id = ?2")
                .setParameter(1, connection.mspId).setParameter(2, connection.id).executeUpdate();
        em.createNativeQuery("DELETE FROM sync_member WHERE msp_id = ?1 AND connection_id = ?2")
                .setParameter(1, connection.mspId).setParameter(2, connection.id).executeUpdate();
        em.createNativeQuery("UPDATE sync_run SET status = 'CANCELLED', finished_at = ?1, error_message = ?2"
                + " WHERE msp_id = ?3 AND connection_id = ?4 AND status IN ('QUEUED', 'HELD')")
                .setParameter(1, clock.now()).setParameter(2, "the connection was deleted")
                .setParameter(3, connection.mspId).setParameter(4, connection.id).executeUpdate();
        connection.delete();
    }

    /** The connection visible to the caller in the given client account, or 404. */
    public DirectoryConnection find(Caller caller, UUID clientId, UUID connectionId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        DirectoryConnection connection = DirectoryConnection.findById(connectionId);
        if (connection == null || !connection.clientId.equals(client.id) || !connection.mspId.equals(client.mspId)) {
            throw DomainException.notFound("Connection");
        }
        return connection;
    }

    /** Decrypts the stored credentials for a read; the result must not outlive it. */
    public Credentials credentials(DirectoryConnection connection) {
        String plain = cipher.open(new CredentialCipher.Sealed(connection.credentialsKeyId,
                connection.credentialsNonce, connection.credentialsCiphertext), connection.mspId,
                connection.clientId, connection.id, connection.provider.name());
        try {
            return connection.provider == Provider.M365 ? json.readValue(plain, Credentials.M365.class)
                    : json.readValue(plain, Credentials.Google.class);
        } catch (Exception e) {
            throw new IllegalStateException("stored credentials are unreadable");
        }
    }

    public PoolSpec pool(DirectoryConnection connection) {
        List<Object[]> rows = em.createNativeQuery("SELECT kind, value FROM connection_pool_entry WHERE msp_id = ?1"
                + " AND connection_id = ?2 ORDER BY kind, value", Object[].class)
                .setParameter(1, connection.mspId).setParameter(2, connection.id).getResultList();
        List<String> groups = new ArrayList<>();
        List<String> units = new ArrayList<>();
        for (Object[] row : rows) {
            ("GROUP".equals(row[0]) ? groups : units).add((String) row[1]);
        }
        return new PoolSpec(connection.poolAllUsers, groups, units, connection.includeGuests);
    }

    /** The next scheduled run: the interval plus a random spread so tenants do not align. */
    public Instant nextDue(DirectoryConnection connection, Instant from) {
        long intervalSeconds = connection.scheduleMinutes * 60L;
        long jitter = intervalSeconds * config.schedule().jitterPercent() / 100;
        return from.plusSeconds(intervalSeconds + (jitter > 0 ? RANDOM.nextLong(jitter + 1) : 0));
    }

    /**
     * When a connection retries after its {@code consecutiveFailures}-th failed run in a row: the configured
     * failure retry doubled per earlier failure, capped at the connection's interval, plus the jitter (see
     * {@link SyncConfig.Schedule#failureRetry()}).
     */
    public Instant retryAfterFailure(DirectoryConnection connection, Instant from, int consecutiveFailures) {
        Duration first = config.schedule().failureRetry();
        if (first.isZero() || first.isNegative()) {
            return nextDue(connection, from);
        }
        Duration interval = Duration.ofMinutes(connection.scheduleMinutes);
        Duration delay = first;
        for (int i = 1; i < consecutiveFailures && delay.compareTo(interval) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        long seconds = Math.min(delay.toSeconds(), interval.toSeconds());
        long jitter = seconds * config.schedule().jitterPercent() / 100;
        return from.plusSeconds(seconds + (jitter > 0 ? RANDOM.nextLong(jitter + 1) : 0));
    }

    // ---------------------------------------------------------------- validation and storage

    private void storeCredentials(DirectoryConnection connection, Credentials credentials, Instant now) {
        String plain;
        try {
            plain = json.writeValueAsString(credentials);
        } catch (Exception e) {
            throw new IllegalStateException("could not serialise credentials");
        }
        CredentialCipher.Sealed sealed = cipher.seal(plain, connection.mspId, connection.clientId, connection.id,
                connection.provider.name());
        connection.credentialsKeyId = sealed.keyId();
        connection.credentialsNonce = sealed.nonce();
        connection.credentialsCiphertext = sealed.ciphertext();
        connection.credentialsUpdatedAt = now;
        if (credentials instanceof Credentials.M365 m) {
            connection.displayTenant = m.tenantId();
            connection.displayAccount = m.clientId();
        } else if (credentials instanceof Credentials.Google g) {
            connection.displayTenant = g.customerId() != null ? g.customerId() : g.domain();
            connection.displayAccount = serviceAccountEmail(g.serviceAccountKeyJson()) + " as " + g.adminSubject();
        }
    }

    private Credentials validCredentials(Provider provider, Credentials credentials) {
        if (provider == Provider.M365) {
            if (!(credentials instanceof Credentials.M365 m)) {
                throw DomainException.invalidField("m365", "credentials are required for an M365 connection");
            }
            String tenant = required(m.tenantId(), "m365.tenantId", 100);
            if (!GUID.matcher(tenant).matches() && !TENANT_DOMAIN.matcher(tenant).matches()) {
                throw DomainException.invalidField("m365.tenantId", "must be a tenant id or domain");
            }
            String client = required(m.clientId(), "m365.clientId", 36);
            if (!GUID.matcher(client).matches()) {
                throw DomainException.invalidField("m365.clientId", "must be an application (client) id");
            }
            boolean secret = m.clientSecret() != null && !m.clientSecret().isBlank();
            boolean certificate = m.certificatePem() != null && !m.certificatePem().isBlank();
            if (secret == certificate) {
                throw DomainException.invalidField("m365.clientSecret",
                        "give either a client secret or a certificate with its private key");
            }
            if (secret) {
                required(m.clientSecret(), "m365.clientSecret", 1024);
            } else {
                requirePem(m.certificatePem(), "CERTIFICATE", "m365.certificatePem");
                requirePem(m.privateKeyPem(), "PRIVATE KEY", "m365.privateKeyPem");
            }
            return new Credentials.M365(tenant.toLowerCase(Locale.ROOT), client.toLowerCase(Locale.ROOT),
                    secret ? m.clientSecret() : null, secret ? null : m.certificatePem(),
                    secret ? null : m.privateKeyPem());
        }
        if (!(credentials instanceof Credentials.Google g)) {
            throw DomainException.invalidField("google", "credentials are required for a Google connection");
        }
        String key = required(g.serviceAccountKeyJson(), "google.serviceAccountKey", 20_000);
        validateServiceAccountKey(key);
        String subject = required(g.adminSubject(), "google.adminSubject", 254);
        if (EmailAddress.parse(subject).isEmpty()) {
            throw DomainException.invalidField("google.adminSubject", "must be an admin's email address");
        }
        String customer = blankToNull(g.customerId());
        String domain = blankToNull(g.domain());
        if ((customer == null) == (domain == null)) {
            throw DomainException.invalidField("google.customerId", "give either a customer id or a domain");
        }
        if (customer != null && !GOOGLE_CUSTOMER.matcher(customer).matches()) {
            throw DomainException.invalidField("google.customerId", "must be a Google customer id");
        }
        if (domain != null && !TENANT_DOMAIN.matcher(domain).matches()) {
            throw DomainException.invalidField("google.domain", "must be a domain name");
        }
        return new Credentials.Google(key, subject.strip(), customer, domain == null ? null
                : domain.toLowerCase(Locale.ROOT));
    }

    private void validateServiceAccountKey(String key) {
        String field = "google.serviceAccountKey";
        JsonNode node;
        try {
            node = json.readTree(key);
        } catch (Exception e) {
            throw DomainException.invalidField(field, "must be the service account key file (JSON)");
        }
        if (node == null || !node.isObject() || !"service_account".equals(node.path("type").asText())
                || !node.path("client_email").isTextual() || !node.path("private_key").isTextual()
                || !node.path("private_key").asText().contains("PRIVATE KEY")) {
            throw DomainException.invalidField(field,
                    "must be a service account key file with type, client_email and private_key");
        }
    }

    private String serviceAccountEmail(String key) {
        try {
            return json.readTree(key).path("client_email").asText();
        } catch (Exception e) {
            return "service account";
        }
    }

    private static PoolSpec validPool(Provider provider, PoolSpec pool) {
        if (pool.allUsers() && (!pool.groups().isEmpty() || !pool.orgUnits().isEmpty())) {
            throw DomainException.invalidField("pool.allUsers", "choose all users, or groups / org units, not both");
        }
        if (!pool.allUsers() && pool.groups().isEmpty() && pool.orgUnits().isEmpty()) {
            throw DomainException.invalidField("pool", "choose all users, or at least one group or org unit");
        }
        if (provider == Provider.M365 && !pool.orgUnits().isEmpty()) {
            throw DomainException.invalidField("pool.orgUnits", "org units exist only in Google Workspace");
        }
        if (pool.groups().size() + pool.orgUnits().size() > MAX_POOL_ENTRIES) {
            throw DomainException.invalidField("pool", "at most " + MAX_POOL_ENTRIES + " groups and org units");
        }
        for (int i = 0; i < pool.groups().size(); i++) {
            String group = pool.groups().get(i);
            String field = "pool.groups[" + i + "]";
            if (group == null || group.isBlank() || group.length() > 255
                    || group.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.isWhitespace(cp))) {
                throw DomainException.invalidField(field, "must be a group id");
            }
            if (provider == Provider.M365 && !GUID.matcher(group).matches()) {
                throw DomainException.invalidField(field, "must be an Entra group object id");
            }
        }
        for (int i = 0; i < pool.orgUnits().size(); i++) {
            String unit = pool.orgUnits().get(i);
            if (unit == null || !unit.startsWith("/") || unit.length() > 255 || unit.contains("'")
                    || unit.codePoints().anyMatch(Character::isISOControl)) {
                throw DomainException.invalidField("pool.orgUnits[" + i + "]",
                        "must be an org unit path such as /Sales (no quotes)");
            }
        }
        return pool;
    }

    private void applyPool(DirectoryConnection connection, PoolSpec pool) {
        connection.poolAllUsers = pool.allUsers();
        connection.includeGuests = pool.includeGuests();
    }

    private void writePoolEntries(DirectoryConnection connection, PoolSpec pool) {
        connection.persistAndFlush();
        em.createNativeQuery("DELETE FROM connection_pool_entry WHERE msp_id = ?1 AND connection_id = ?2")
                .setParameter(1, connection.mspId).setParameter(2, connection.id).executeUpdate();
        for (String group : pool.groups().stream().distinct().toList()) {
            insertPoolEntry(connection, "GROUP", group);
        }
        for (String unit : pool.orgUnits().stream().distinct().toList()) {
            insertPoolEntry(connection, "ORG_UNIT", unit);
        }
    }

    private void insertPoolEntry(DirectoryConnection connection, String kind, String value) {
        em.createNativeQuery("INSERT INTO connection_pool_entry (msp_id, connection_id, kind, value)"
                + " VALUES (?1, ?2, ?3, ?4)").setParameter(1, connection.mspId).setParameter(2, connection.id)
                .setParameter(3, kind).setParameter(4, value).executeUpdate();
    }

    private int validSchedule(int minutes) {
        int minimum = config.schedule().minimumMinutes();
        if (minutes < minimum || minutes > 10_080) {
            throw DomainException.invalidField("scheduleMinutes", "must be from " + minimum + " to 10080 minutes");
        }
        return minutes;
    }

    private static int validPercent(int percent) {
        if (percent < 1 || percent > 100) {
            throw DomainException.invalidField("massDeactivation.percent", "must be from 1 to 100");
        }
        return percent;
    }

    private static int validMinimum(int minimum) {
        if (minimum < 0 || minimum > 1_000_000) {
            throw DomainException.invalidField("massDeactivation.minimum", "must be from 0 to 1000000");
        }
        return minimum;
    }

    private static String required(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidField(field, "is required");
        }
        if (value.length() > max) {
            throw DomainException.invalidField(field, "must be at most " + max + " characters");
        }
        return value.strip();
    }

    private static void requirePem(String value, String type, String field) {
        if (value == null || !value.contains("-----BEGIN " ) || !value.contains(type) || value.length() > 20_000) {
            throw DomainException.invalidField(field, "must be a PEM " + type.toLowerCase(Locale.ROOT));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
