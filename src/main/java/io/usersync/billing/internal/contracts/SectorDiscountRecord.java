package io.usersync.billing.internal.contracts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.UUID;

/** One sector discount of an MSP's price list. */
@Entity
@Table(name = "billing_contract_sector_discount")
public class SectorDiscountRecord extends PanacheEntityBase {

    /** Primary key: the MSP and the sector code. */
    @Embeddable
    public record Key(@Column(name = "msp_id") UUID mspId, @Column(name = "sector", length = 32) String sector)
            implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Column(name = "discount_bp", nullable = false)
    public int discountBp;
}
