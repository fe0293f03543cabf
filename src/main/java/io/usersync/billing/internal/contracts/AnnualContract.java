package io.usersync.billing.internal.contracts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.billing.api.ContractFeature;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * An annual contract of a client account over the UTC dates {@code [startDate, endDate)}, with the prices of
 * the price list copied when it was made (its discounts are {@link ContractDiscountRecord}s). {@link #blocks} is the current block count (raised by
 * upgrades).
 */
@Entity
@Table(name = "billing_contract")
public class AnnualContract extends PanacheEntityBase {

    /** Users per block. */
    public static final int BLOCK_SIZE = 50;

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "start_date", nullable = false)
    public LocalDate startDate;

    @Column(name = "end_date", nullable = false)
    public LocalDate endDate;

    @Column(name = "term_years", nullable = false)
    public int termYears;

    @Column(nullable = false)
    public int blocks;

    @Column(nullable = false, length = 3)
    public String currency;

    @Column(name = "base_price_minor", nullable = false)
    public long basePriceMinor;

    @Column(name = "ulearn_price_minor")
    public Long ulearnPriceMinor;

    @Column(name = "uphish_price_minor")
    public Long uphishPriceMinor;

    @Column(name = "ubreach_price_minor")
    public Long ubreachPriceMinor;

    @Column(name = "upolicy_price_minor")
    public Long upolicyPriceMinor;

    @Column(name = "renewal_of")
    public UUID renewalOf;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    public int licensedUsers() {
        return blocks * BLOCK_SIZE;
    }

    public boolean inEffectOn(LocalDate day) {
        return !day.isBefore(startDate) && day.isBefore(endDate);
    }

    /** The selected features with their per-user-year prices, in feature order. */
    public Map<ContractFeature, Long> featurePrices() {
        Map<ContractFeature, Long> prices = new EnumMap<>(ContractFeature.class);
        putIfSelected(prices, ContractFeature.ULEARN, ulearnPriceMinor);
        putIfSelected(prices, ContractFeature.UPHISH, uphishPriceMinor);
        putIfSelected(prices, ContractFeature.UBREACH, ubreachPriceMinor);
        putIfSelected(prices, ContractFeature.UPOLICY, upolicyPriceMinor);
        return prices;
    }

    public void setFeaturePrices(Map<ContractFeature, Long> prices) {
        ulearnPriceMinor = prices.get(ContractFeature.ULEARN);
        uphishPriceMinor = prices.get(ContractFeature.UPHISH);
        ubreachPriceMinor = prices.get(ContractFeature.UBREACH);
        upolicyPriceMinor = prices.get(ContractFeature.UPOLICY);
    }

    private static void putIfSelected(Map<ContractFeature, Long> prices, ContractFeature feature, Long price) {
        if (price != null) {
            prices.put(feature, price);
        }
    }
}
