package io.usersync.billing.internal.contracts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** An MSP's own annual price list (an MSP without one uses the configured defaults). */
@Entity
@Table(name = "billing_contract_price_list")
public class PriceListRecord extends PanacheEntityBase {

    @Id
    @Column(name = "msp_id")
    public UUID mspId;

    @Column(nullable = false, length = 3)
    public String currency;

    @Column(name = "base_price_minor", nullable = false)
    public long basePriceMinor;

    @Column(name = "ulearn_price_minor", nullable = false)
    public long ulearnPriceMinor;

    @Column(name = "uphish_price_minor", nullable = false)
    public long uphishPriceMinor;

    @Column(name = "ubreach_price_minor", nullable = false)
    public long ubreachPriceMinor;

    @Column(name = "upolicy_price_minor", nullable = false)
    public long upolicyPriceMinor;

    @Column(name = "two_year_discount_bp", nullable = false)
    public int twoYearDiscountBp;

    @Column(name = "three_year_discount_bp", nullable = false)
    public int threeYearDiscountBp;

    @Column(name = "updated_by", nullable = false, length = 200)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
