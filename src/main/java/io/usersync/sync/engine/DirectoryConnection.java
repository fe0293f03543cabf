package io.usersync.sync.engine;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.sync.port.Provider;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A client account's connection to M365 or Google Workspace. */
@Entity
@Table(name = "directory_connection")
public class DirectoryConnection extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    public Provider provider;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "pool_all_users", nullable = false)
    public boolean poolAllUsers;

    @Column(name = "include_guests", nullable = false)
    public boolean includeGuests;

    @Column(name = "schedule_minutes", nullable = false)
    public int scheduleMinutes;

    @Column(name = "mass_deactivation_percent", nullable = false)
    public int massDeactivationPercent;

    @Column(name = "mass_deactivation_minimum", nullable = false)
    public int massDeactivationMinimum;

    /** Non-secret tenant identifier shown to admins (M365 tenant id, Google customer id or domain). */
    @Column(name = "display_tenant", length = 200)
    public String displayTenant;

    /** Non-secret account identifier shown to admins (M365 client id, Google service account / subject). */
    @Column(name = "display_account", length = 320)
    public String displayAccount;

    @Column(name = "credentials_key_id", nullable = false, length = 64)
    public String credentialsKeyId;

    @Column(name = "credentials_nonce", nullable = false, length = 12)
    public byte[] credentialsNonce;

    @Column(name = "credentials_ciphertext", nullable = false, columnDefinition = "BLOB")
    public byte[] credentialsCiphertext;

    @Column(name = "credentials_updated_at", nullable = false)
    public Instant credentialsUpdatedAt;

    @Column(name = "delta_token", columnDefinition = "TEXT")
    public String deltaToken;

    @Column(name = "last_full_sync_at")
    public Instant lastFullSyncAt;

    /** Bumped when what a read returns changes (pool, guests, credentials). */
    @Column(name = "settings_revision", nullable = false)
    public long settingsRevision;

    /** Bumped each time an applied run stores the sync position (delta token, last full read). */
    @Column(name = "position_revision", nullable = false)
    public long positionRevision;

    @Column(name = "next_due_at", nullable = false)
    public Instant nextDueAt;

    @Column(name = "lease_owner", length = 100)
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
