package io.usersync.billing.internal.licensing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.billing.api.LicencePlanType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A licence plan of a client account over {@code [startsAt, endsAt)} (UTC). */
@Entity
@Table(name = "billing_licence_plan")
public class LicencePlan extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Enumerated(EnumType.STRING)
    @Column(name = "plan_type", nullable = false, length = 8)
    public LicencePlanType type;

    @Column(nullable = false)
    public long amount;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at", nullable = false)
    public Instant endsAt;

    @Column(nullable = false)
    public boolean pilot;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public boolean covers(Instant instant) {
        return !instant.isBefore(startsAt) && instant.isBefore(endsAt);
    }
}
