package io.usersync.billing.internal.contracts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.billing.api.Contracts.InvoiceKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** An invoice of an annual contract (its lines are {@link ContractInvoiceLine}s). */
@Entity
@Table(name = "billing_contract_invoice")
public class ContractInvoice extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "contract_id", nullable = false)
    public UUID contractId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public InvoiceKind kind;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(nullable = false, length = 3)
    public String currency;

    @Column(name = "total_minor", nullable = false)
    public long totalMinor;

    @Column(name = "blocks_before")
    public Integer blocksBefore;

    @Column(name = "blocks_after", nullable = false)
    public int blocksAfter;

    @Column(name = "effective_date", nullable = false)
    public LocalDate effectiveDate;

    @Column(name = "covers_until", nullable = false)
    public LocalDate coversUntil;
}
