package io.usersync.billing.internal.contracts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.billing.api.Contracts.DiscountKind;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.UUID;

/** One discount of a contract; the discounts of a contract compound in {@code position} order. */
@Entity
@Table(name = "billing_contract_discount")
public class ContractDiscountRecord extends PanacheEntityBase {

    /** Primary key: the MSP, the contract and the position. */
    @Embeddable
    public record Key(@Column(name = "msp_id") UUID mspId, @Column(name = "contract_id") UUID contractId,
            @Column(name = "position") int position) implements Serializable {
    }

    @EmbeddedId
    public Key key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public DiscountKind kind;

    @Column(nullable = false, length = 60)
    public String name;

    /** Exact rate in percent. */
    @Column(nullable = false, precision = 7, scale = 4)
    public BigDecimal percent;
}
