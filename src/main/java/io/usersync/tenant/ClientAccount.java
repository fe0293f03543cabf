package io.usersync.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A client account owned by one MSP; it owns users. */
@Entity
@Table(name = "client_account")
public class ClientAccount extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(nullable = false, length = 200)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ClientStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "billing_model", nullable = false, length = 16)
    public BillingModel billingModel;

    /** Maximum number of active users; null means unlimited. */
    @Column(name = "user_limit")
    public Integer userLimit;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** When the current trial started; null unless {@link #status} is TRIAL. */
    @Column(name = "trial_started_at")
    public Instant trialStartedAt;

    /** When the current trial ends (see {@link TrialRules}); null unless {@link #status} is TRIAL. */
    @Column(name = "trial_ends_at")
    public Instant trialEndsAt;

    @Version
    public long version;

    public boolean isDeleted() {
        return deletedAt != null;
    }
}
