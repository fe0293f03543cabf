package io.usersync.sync.engine;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.sync.port.Provider;
import io.usersync.sync.port.ReadMode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One run of a connection: trigger, status, counts and live progress. */
@Entity
@Table(name = "sync_run")
public class SyncRun extends PanacheEntityBase {

    /** What the run is doing while {@link RunStatus#RUNNING}. */
    public enum Phase {
        READING, APPLYING
    }

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    public Provider provider;

    @Enumerated(EnumType.STRING)
    @Column(name = "run_trigger", nullable = false, length = 16)
    public RunTrigger trigger;

    @Enumerated(EnumType.STRING)
    @Column(length = 8)
    public ReadMode mode;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    public RunStatus status;

    @Enumerated(EnumType.STRING)
    @Column(length = 12)
    public Phase phase;

    @Column(name = "requested_by", nullable = false, length = 200)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(length = 100)
    public String owner;

    @Column(nullable = false)
    public int pages;

    @Column(name = "users_processed", nullable = false)
    public int usersProcessed;

    @Column(nullable = false)
    public int fetched;

    @Column(name = "in_pool", nullable = false)
    public int inPool;

    @Column(nullable = false)
    public int denied;

    @Column(nullable = false)
    public int created;

    @Column(nullable = false)
    public int activated;

    @Column(nullable = false)
    public int deactivated;

    @Column(nullable = false)
    public int updated;

    @Column(nullable = false)
    public int unchanged;

    @Column(name = "over_limit", nullable = false)
    public int overLimit;

    @Column(nullable = false)
    public int skipped;

    @Column(nullable = false)
    public int conflicts;

    @Column(name = "planned_changes", nullable = false)
    public int plannedChanges;

    @Column(name = "applied_changes", nullable = false)
    public int appliedChanges;

    @Column(name = "provider_requests", nullable = false)
    public int providerRequests;

    @Column(nullable = false)
    public int throttled;

    /** Delta token obtained by this run's read; stored on the connection once the run's plan is applied. */
    @Column(name = "delta_token", columnDefinition = "TEXT")
    public String deltaToken;

    /** The connection's settings revision when the run started (null for runs older than the column). */
    @Column(name = "basis_settings_revision")
    public Long basisSettingsRevision;

    /** The connection's position revision when the run started (null for runs older than the column). */
    @Column(name = "basis_position_revision")
    public Long basisPositionRevision;

    @Column(name = "error_kind", length = 32)
    public String errorKind;

    @Column(name = "error_message", length = 1000)
    public String errorMessage;

    @Column(name = "held_reason", length = 1000)
    public String heldReason;

    @Column(name = "decided_by", length = 200)
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    /** An admin asked to stop the run; honoured while it is still reading. */
    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;
}
