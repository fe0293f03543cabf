package io.usersync.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One recorded change of a client account's status or billing model (append-only). */
@Entity
@Table(name = "client_status_change")
public class ClientStatusChange extends PanacheEntityBase {

    /** What happened to the client account ({@code TRIAL_END}: the end of its trial was moved). */
    public enum Kind {
        CREATED, STATUS, BILLING_MODEL, DELETED, TRIAL_END
    }

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(name = "old_status", length = 16)
    public ClientStatus oldStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "new_status", nullable = false, length = 16)
    public ClientStatus newStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "old_billing_model", length = 16)
    public BillingModel oldBillingModel;

    @Enumerated(EnumType.STRING)
    @Column(name = "new_billing_model", nullable = false, length = 16)
    public BillingModel newBillingModel;

    /** The end of the account's trial after the change; null when it is not in TRIAL. */
    @Column(name = "trial_ends_at")
    public Instant trialEndsAt;

    @Column(nullable = false, length = 200)
    public String actor;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;
}
