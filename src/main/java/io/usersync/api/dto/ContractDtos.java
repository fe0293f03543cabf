package io.usersync.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Contracts;
import io.usersync.billing.api.Contracts.ContractStatus;
import io.usersync.billing.api.Contracts.InvoiceKind;
import io.usersync.billing.api.Contracts.LineKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Request and response bodies of annual contracts and contract price lists. Money is in integer minor units of
 * the named currency ({@code ...Minor}, or prices "per user-year" in minor units); percentages have at most two
 * decimals.
 */
public final class ContractDtos {

    private ContractDtos() {
    }

    /** A complete price list (PUT replaces it). {@code sectorDiscountPercent} may be omitted: no sectors. */
    public record PriceListBody(String currency, Long basePricePerUserYear,
            Map<ContractFeature, Long> featurePricesPerUserYear, BigDecimal twoYearDiscountPercent,
            BigDecimal threeYearDiscountPercent, Map<String, BigDecimal> sectorDiscountPercent) {

        public Contracts.PriceListUpdate toUpdate() {
            return new Contracts.PriceListUpdate(currency, basePricePerUserYear, featurePricesPerUserYear,
                    twoYearDiscountPercent, threeYearDiscountPercent, sectorDiscountPercent);
        }
    }

    /** A price list; {@code isDefault} when the MSP has none of its own and the configured defaults apply. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PriceListView(UUID mspId, boolean isDefault, String currency, long basePricePerUserYear,
            Map<ContractFeature, Long> featurePricesPerUserYear, BigDecimal twoYearDiscountPercent,
            BigDecimal threeYearDiscountPercent, Map<String, BigDecimal> sectorDiscountPercent, String updatedBy,
            Instant updatedAt) {

        public static PriceListView of(Contracts.PriceList p) {
            return new PriceListView(p.mspId(), p.isDefault(), p.currency(), p.basePricePerUserYear(),
                    p.featurePricesPerUserYear(), p.twoYearDiscountPercent(), p.threeYearDiscountPercent(),
                    p.sectorDiscountPercent(), p.updatedBy(), p.updatedAt());
        }
    }

    /**
     * A new contract: {@code termYears} 1–3 and {@code blocks} of 50 users are required; {@code startDate}
     * (UTC date) defaults to today; {@code features} to none; {@code sector} to none. {@code discounts} (operators
     * only) replaces the price list's discounts with the ones the sales terms grant, e.g.
     * {@code [{"kind":"MULTI_YEAR","name":"sales terms 2025","percent":12.5},{"kind":"SECTOR","name":"CHARITY",
     * "percent":7}]}; the sector is then named there, not in {@code sector}.
     */
    public record CreateContract(String startDate, Integer termYears, Integer blocks, Set<ContractFeature> features,
            String sector, List<DiscountBody> discounts) {

        public List<Contracts.Discount> discountList() {
            return DiscountBody.toDiscounts(discounts);
        }
    }

    /**
     * One discount: {@code kind} MULTI_YEAR, SECTOR or SPECIAL; {@code name} the sector code for SECTOR, else a
     * short text shown on the invoice; {@code percent} exact, more than 0 and at most 100, at most four decimals.
     * Discounts compound in the order given.
     */
    public record DiscountBody(Contracts.DiscountKind kind, String name, BigDecimal percent) {

        static List<Contracts.Discount> toDiscounts(List<DiscountBody> bodies) {
            if (bodies == null) {
                return null;
            }
            return bodies.stream().map(b -> b == null ? null : new Contracts.Discount(b.kind(), b.name(),
                    b.percent())).collect(java.util.stream.Collectors.toList());
        }
    }

    /** A contract's discount as it applies. */
    public record DiscountView(Contracts.DiscountKind kind, String name, BigDecimal percent) {

        static DiscountView of(Contracts.Discount d) {
            return new DiscountView(d.kind(), d.name(), d.percent());
        }
    }

    /** The new, larger block count. */
    public record UpgradeContract(Integer blocks) {
    }

    /**
     * The renewal: absent members keep the current contract's value; {@code "sector": ""} removes the sector.
     * Discounts are the price list's for the new term unless {@code discounts} grants others (operators only).
     */
    public record RenewContract(Integer termYears, Integer blocks, Set<ContractFeature> features, String sector,
            List<DiscountBody> discounts) {

        public Contracts.Renewal toRenewal() {
            return new Contracts.Renewal(termYears, blocks, features, sector, DiscountBody.toDiscounts(discounts));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ContractView(UUID id, UUID clientId, LocalDate startDate, LocalDate endDate, int termYears,
            int blocks, int licensedUsers, String currency, long basePricePerUserYear,
            Map<ContractFeature, Long> featurePricesPerUserYear, BigDecimal multiYearDiscountPercent, String sector,
            BigDecimal sectorDiscountPercent, List<DiscountView> discounts, BigDecimal netPricePerUserYear,
            ContractStatus status, UUID renewalOf, String createdBy, Instant createdAt, List<InvoiceView> invoices) {

        public static ContractView of(Contracts.Contract c) {
            return new ContractView(c.id(), c.clientId(), c.startDate(), c.endDate(), c.termYears(), c.blocks(),
                    c.licensedUsers(), c.currency(), c.basePricePerUserYear(), c.featurePricesPerUserYear(),
                    c.multiYearDiscountPercent(), c.sector(), c.sectorDiscountPercent(),
                    c.discounts().stream().map(DiscountView::of).toList(), c.netPricePerUserYear(),
                    c.status(), c.renewalOf(), c.createdBy(), c.createdAt(),
                    c.invoices().stream().map(InvoiceView::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InvoiceView(UUID id, UUID contractId, InvoiceKind kind, Instant issuedAt, String currency,
            Integer blocksBefore, int blocksAfter, LocalDate effectiveDate, LocalDate coversUntil,
            List<InvoiceLineView> lines, long totalMinor, BillingDtos.PaymentView payment) {

        public static InvoiceView of(Contracts.Invoice i) {
            return new InvoiceView(i.id(), i.contractId(), i.kind(), i.issuedAt(), i.currency(), i.blocksBefore(),
                    i.blocksAfter(), i.effectiveDate(), i.coversUntil(),
                    i.lines().stream().map(InvoiceLineView::of).toList(), i.totalMinor(),
                    i.payment() == null ? null : BillingDtos.PaymentView.of(i.payment()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InvoiceLineView(int lineNo, LineKind kind, ContractFeature feature, String description,
            Long quantity, BigDecimal unitPriceMinor, Integer years, Integer days, Integer daysInYear,
            BigDecimal percent, long amountMinor) {

        public static InvoiceLineView of(Contracts.InvoiceLine l) {
            return new InvoiceLineView(l.lineNo(), l.kind(), l.feature(), l.description(), l.quantity(),
                    l.unitPriceMinor(), l.years(), l.days(), l.daysInYear(), l.percent(), l.amountMinor());
        }
    }
}
