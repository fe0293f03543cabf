package io.usersync.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.usersync.sync.engine.ConnectionService;
import io.usersync.sync.engine.DenyEntry;
import io.usersync.sync.engine.DirectoryConnection;
import io.usersync.sync.port.Provider;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of directory connections and deny lists. Secrets are accepted, never returned. */
public final class ConnectionDtos {

    private ConnectionDtos() {
    }

    /** Microsoft 365 app registration: a client secret, or a certificate with its private key. */
    public record M365Credentials(String tenantId, String clientId, String clientSecret, String certificatePem,
            String privateKeyPem) {
    }

    /**
     * Google Workspace service account: the key file (as a JSON object or as its text), the admin to
     * impersonate, and the customer id or the domain.
     */
    public record GoogleCredentials(JsonNode serviceAccountKey, String adminSubject, String customerId,
            String domain) {
    }

    /** Who is in the pool. Omitted: all users, guests excluded. */
    public record Pool(Boolean allUsers, List<String> groups, List<String> orgUnits, Boolean includeGuests) {
    }

    /** Mass-deactivation guard: hold a run that would deactivate more than max(percent of active, minimum). */
    public record MassDeactivation(Integer percent, Integer minimum) {
    }

    public record CreateConnection(Provider provider, @Valid M365Credentials m365,
            @Valid GoogleCredentials google, @Valid Pool pool, Integer scheduleMinutes, Boolean enabled,
            @Valid MassDeactivation massDeactivation) {
    }

    /** Absent members stay unchanged; credentials, when present, replace the stored ones. */
    public record UpdateConnection(@Valid M365Credentials m365, @Valid GoogleCredentials google, @Valid Pool pool,
            Integer scheduleMinutes, Boolean enabled, @Valid MassDeactivation massDeactivation) {
    }

    public record PoolView(boolean allUsers, List<String> groups, List<String> orgUnits, boolean includeGuests) {
    }

    /** A connection; credentials are represented only by non-secret identifiers and their last change. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConnectionView(UUID id, UUID clientId, Provider provider, boolean enabled, PoolView pool,
            int scheduleMinutes, MassDeactivation massDeactivation, String tenant, String account,
            Instant credentialsUpdatedAt, boolean incrementalReadsActive, Instant lastFullSyncAt, Instant nextRunAt,
            Instant createdAt) {
        public static ConnectionView of(ConnectionService.View view) {
            DirectoryConnection c = view.connection();
            return new ConnectionView(c.id, c.clientId, c.provider, c.enabled,
                    new PoolView(view.pool().allUsers(), view.pool().groups(), view.pool().orgUnits(),
                            view.pool().includeGuests()),
                    c.scheduleMinutes, new MassDeactivation(c.massDeactivationPercent, c.massDeactivationMinimum),
                    c.displayTenant, c.displayAccount, c.credentialsUpdatedAt, c.deltaToken != null,
                    c.lastFullSyncAt, c.nextDueAt, c.createdAt);
        }
    }

    public record TestResult(boolean ok, String message) {
    }

    public record AddDenyEntries(List<String> entries) {
    }

    public record DenyEntryView(UUID id, String entry, String kind, String createdBy, Instant createdAt) {
        public static DenyEntryView of(DenyEntry e) {
            return new DenyEntryView(e.id, e.display(), e.kind.name(), e.createdBy, e.createdAt);
        }
    }

    /** What a deny-list change did, and the run that applies it to users. */
    public record DenyListChange(int added, int alreadyPresent, int duplicates, int removed,
            List<io.usersync.sync.engine.DenyListService.InvalidLine> invalid, SyncRunDtos.RunView run) {
    }
}
