package io.usersync.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One entry of the append-only billable-state history (read side; rows are written by {@link StatusLog}). */
@Entity
@Table(name = "user_status_event")
public class UserStatusEvent extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "old_active")
    public Boolean oldActive;

    @Column(name = "new_active", nullable = false)
    public boolean newActive;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    public ChangeCause cause;

    @Column(nullable = false, length = 200)
    public String actor;

    @Column(name = "sync_run_id")
    public UUID syncRunId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
