package io.usersync.billing.api;

import io.usersync.tenant.Caller;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Annual contracts of client accounts, their up-front and upgrade invoices, and the MSPs' annual price lists —
 * the billing module's public entry for everything contract related.
 *
 * <p>Rules (the decisions behind them are documented on {@code ContractService} and {@code ContractPricing}):
 * <ul>
 * <li>a contract runs over whole UTC dates {@code [startDate, startDate + termYears)}, term 1–3 years, and
 * licenses {@code 50 × blocks} users; contracts of one client account never overlap (409);</li>
 * <li>a client account is billed {@code ANNUAL} exactly while a contract covers it (a contract switches it on
 * its start, the end of the last one switches it back to {@code MONTHLY}); nobody can make it ANNUAL without
 * one (409 {@code contract-required});</li>
 * <li>the whole term is invoiced up front when the contract is made: base, each feature, one line per discount
 * (compounded in order), total — in the price list's currency, integer minor units, the total being the exact
 * total rounded half up once;</li>
 * <li>a contract carries a list of named discounts with exact rates: by default the price list's multi-year
 * discount of its term and the sector discount of its sector; an operator may instead give the discounts the
 * sales terms grant (a multi-year and a sector discount together, also on a 1-year term, and special ones);</li>
 * <li>while a contract is in effect its licensed count is the client account's user limit;</li>
 * <li>upgrades (more blocks) take effect today and are invoiced pro rata; fewer blocks are refused until the
 * renewal, which is a new contract starting when the current one ends.</li>
 * </ul>
 */
public interface Contracts {

    /** Where a contract is relative to today (UTC). */
    enum ContractStatus {
        UPCOMING, ACTIVE, ENDED
    }

    /** The up-front invoice of a contract's term, or the invoice of a mid-term upgrade. */
    enum InvoiceKind {
        INITIAL, UPGRADE
    }

    /** What an invoice line is for. Discount lines have negative amounts (or zero). */
    enum LineKind {
        BASE, FEATURE, MULTI_YEAR_DISCOUNT, SECTOR_DISCOUNT, SPECIAL_DISCOUNT, PRORATA_CURRENT_YEAR, LATER_YEARS
    }

    /** What a contract discount is granted for. */
    enum DiscountKind {
        /** For the length of the term (the price list's 2- and 3-year discounts, or granted on any term). */
        MULTI_YEAR,
        /** For the client's sector; the name is the sector code, e.g. CHARITY or EDUCATION. */
        SECTOR,
        /** Any other discount the sales terms grant, named. */
        SPECIAL
    }

    /**
     * One discount of a contract: {@code percent} is exact (more than 0, at most 100, at most four decimals).
     * Discounts compound in the contract's order, each applying to what the previous ones left; at most one
     * MULTI_YEAR and one SECTOR, at most {@value #MAX_DISCOUNTS} in all.
     *
     * @param name what the invoice line says: the sector code for SECTOR, e.g. "3-year term" for MULTI_YEAR
     */
    record Discount(DiscountKind kind, String name, BigDecimal percent) {
    }

    /** Most discounts one contract can carry. */
    int MAX_DISCOUNTS = 5;

    /**
     * An MSP's annual price list: prices in minor units of {@code currency} per user and contract year;
     * discounts in percent (two decimals at most).
     *
     * @param isDefault true when the MSP has no price list of its own and the configured defaults apply
     */
    record PriceList(UUID mspId, boolean isDefault, String currency, long basePricePerUserYear,
            Map<ContractFeature, Long> featurePricesPerUserYear, BigDecimal twoYearDiscountPercent,
            BigDecimal threeYearDiscountPercent, Map<String, BigDecimal> sectorDiscountPercent, String updatedBy,
            Instant updatedAt) {
    }

    /** A complete replacement of an MSP's price list; every member is required. */
    record PriceListUpdate(String currency, Long basePricePerUserYear,
            Map<ContractFeature, Long> featurePricesPerUserYear, BigDecimal twoYearDiscountPercent,
            BigDecimal threeYearDiscountPercent, Map<String, BigDecimal> sectorDiscountPercent) {
    }

    /**
     * A contract to make. {@code startDate} defaults to today (UTC); {@code features} to none; {@code sector} to
     * none (it must be a sector of the price list). {@code discounts} null means the price list's: the multi-year
     * discount of the term and the discount of {@code sector}. Given (operators only: discounts are granted by the
     * provider's sales terms, never chosen by the party billed), they are the contract's discounts exactly, and
     * {@code sector} must then be absent (name the sector in a SECTOR discount).
     */
    record NewContract(LocalDate startDate, Integer termYears, Integer blocks, Set<ContractFeature> features,
            String sector, List<Discount> discounts) {

        public NewContract(LocalDate startDate, Integer termYears, Integer blocks, Set<ContractFeature> features,
                String sector) {
            this(startDate, termYears, blocks, features, sector, null);
        }
    }

    /**
     * The renewal of a contract: a new contract from the day the current one ends. Null members keep the current
     * contract's value; an empty {@code sector} removes the sector. Prices come from the current price list, and
     * so do the discounts unless {@code discounts} grants others (operators only, as for {@link NewContract}):
     * granted discounts are not carried over to a renewal by themselves.
     */
    record Renewal(Integer termYears, Integer blocks, Set<ContractFeature> features, String sector,
            List<Discount> discounts) {

        public Renewal(Integer termYears, Integer blocks, Set<ContractFeature> features, String sector) {
            this(termYears, blocks, features, sector, null);
        }
    }

    /**
     * A contract.
     *
     * @param multiYearDiscountPercent the MULTI_YEAR discount's percent, 0 without one (see {@code discounts})
     * @param sector                   the SECTOR discount's sector, or null
     * @param sectorDiscountPercent    the SECTOR discount's percent, 0 without one
     * @param discounts                every discount, in the order they compound
     * @param netPricePerUserYear      the per-user-year price after discounts, exact (minor units, may have
     *                                 decimals); the unit price of upgrade invoices
     */
    record Contract(UUID id, UUID clientId, LocalDate startDate, LocalDate endDate, int termYears, int blocks,
            int licensedUsers, String currency, long basePricePerUserYear,
            Map<ContractFeature, Long> featurePricesPerUserYear, BigDecimal multiYearDiscountPercent, String sector,
            BigDecimal sectorDiscountPercent, List<Discount> discounts, BigDecimal netPricePerUserYear,
            ContractStatus status, UUID renewalOf, String createdBy, Instant createdAt, List<Invoice> invoices) {
    }

    /**
     * An invoice of a contract.
     *
     * @param effectiveDate first day the invoice pays for
     * @param coversUntil   the (exclusive) day it pays until: the contract end
     * @param payment       how its collection stands: outstanding until charged through the payment gateway
     *                      (when the MSP has a payment method on file), then paid; it counts in the MSP's arrears
     */
    record Invoice(UUID id, UUID contractId, InvoiceKind kind, Instant issuedAt, String currency,
            Integer blocksBefore, int blocksAfter, LocalDate effectiveDate, LocalDate coversUntil,
            List<InvoiceLine> lines, long totalMinor, Payment payment) {
    }

    /**
     * One invoice line. Members that do not apply to the kind are null.
     *
     * @param quantity       users
     * @param unitPriceMinor price per user and year in minor units (exact; the net price on upgrade lines)
     * @param years          contract years the line pays for
     * @param days           PRORATA_CURRENT_YEAR: remaining days of the current contract year
     * @param daysInYear     PRORATA_CURRENT_YEAR: days of that contract year (365 or 366)
     * @param percent        discount lines: the discount in percent
     * @param amountMinor    the line amount in whole minor units (negative for discounts)
     */
    record InvoiceLine(int lineNo, LineKind kind, ContractFeature feature, String description, Long quantity,
            BigDecimal unitPriceMinor, Integer years, Integer days, Integer daysInYear, BigDecimal percent,
            long amountMinor) {
    }

    /** The MSP's price list, or the defaults when it has none (operators and the MSP's admins). */
    PriceList priceList(Caller caller, UUID mspId);

    /** Replaces the MSP's price list (operators only); existing contracts keep the prices they were made with. */
    PriceList updatePriceList(Caller caller, UUID mspId, PriceListUpdate update);

    /** Makes a contract and issues its up-front invoice (operators and the MSP's admins). */
    Contract create(Caller caller, UUID clientId, NewContract request);

    /** Past, current and upcoming contracts of the client account, by start date. */
    List<Contract> list(Caller caller, UUID clientId);

    Contract get(Caller caller, UUID clientId, UUID contractId);

    /** Moves the contract to {@code blocks} blocks from today and issues the pro-rata upgrade invoice. */
    Contract upgrade(Caller caller, UUID clientId, UUID contractId, Integer blocks);

    /** Makes the renewal contract, starting the day the contract ends, and issues its up-front invoice. */
    Contract renew(Caller caller, UUID clientId, UUID contractId, Renewal renewal);

    /**
     * Applies the licensed count of every contract in effect today to its client account's user limit (what the
     * scheduled job does); returns how many client accounts changed.
     */
    int applyContractLimits();

    /**
     * Makes every client account's billing model the one its contracts give today: ANNUAL while a contract
     * covers it, MONTHLY otherwise (what the scheduled job does); returns how many client accounts changed.
     */
    int applyBillingModels();
}
