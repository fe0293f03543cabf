package io.usersync.billing.internal.contracts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Contracts.LineKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

/** One line of a contract invoice. */
@Entity
@Table(name = "billing_contract_invoice_line")
public class ContractInvoiceLine extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "invoice_id", nullable = false)
    public UUID invoiceId;

    @Column(name = "line_no", nullable = false)
    public int lineNo;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public LineKind kind;

    @Enumerated(EnumType.STRING)
    @Column(length = 16)
    public ContractFeature feature;

    @Column(nullable = false, length = 300)
    public String description;

    public Long quantity;

    @Column(name = "unit_price_minor", precision = 24, scale = 6)
    public BigDecimal unitPriceMinor;

    public Integer years;

    public Integer days;

    @Column(name = "days_in_year")
    public Integer daysInYear;

    /** Discount lines: the discount's exact rate in percent. */
    @Column(precision = 7, scale = 4)
    public BigDecimal percent;

    @Column(name = "amount_minor", nullable = false)
    public long amountMinor;
}
