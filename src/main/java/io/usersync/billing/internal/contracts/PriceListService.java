package io.usersync.billing.internal.contracts;

import io.quarkus.runtime.StartupEvent;
import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Contracts.PriceList;
import io.usersync.billing.api.Contracts.PriceListUpdate;
import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The annual price list of each MSP: base price and feature prices per user-year, multi-year discounts by term
 * and sector discounts. Operators manage it; an MSP without one uses the configured defaults
 * ({@link ContractsConfig#defaultPriceList()}, checked at startup). Contracts copy the prices they are made
 * with, so changing a price list never changes an existing contract or invoice.
 */
@ApplicationScoped
@Transactional
public class PriceListService {

    /** Upper bound of a price per user-year in minor units, so no invoice amount can overflow. */
    static final long MAX_PRICE = 1_000_000_000L;
    static final int MAX_SECTORS = 50;
    private static final Pattern SECTOR = Pattern.compile("[A-Z][A-Z0-9_]{1,31}");

    @Inject
    TenantService tenants;

    @Inject
    ContractsConfig config;

    @Inject
    AppClock clock;

    /** A price list with discounts in basis points, as contracts use it. */
    record Effective(UUID mspId, boolean isDefault, String currency, long basePrice,
            Map<ContractFeature, Long> featurePrices, int twoYearBp, int threeYearBp, Map<String, Integer> sectorBp,
            String updatedBy, Instant updatedAt) {

        int multiYearBp(int termYears) {
            return switch (termYears) {
                case 2 -> twoYearBp;
                case 3 -> threeYearBp;
                default -> 0;
            };
        }
    }

    void checkDefaults(@Observes StartupEvent event) {
        defaults(null);
    }

    public PriceList get(Caller caller, UUID mspId) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        tenants.getMsp(caller, mspId);
        return view(effective(mspId));
    }

    public PriceList update(Caller caller, UUID mspId, PriceListUpdate update) {
        caller.requireAtLeast(Role.OPERATOR);
        tenants.getMsp(caller, mspId);
        String currency = currency(update.currency(), "currency");
        long base = price(update.basePricePerUserYear(), "basePricePerUserYear");
        if (update.featurePricesPerUserYear() == null) {
            throw DomainException.invalidField("featurePricesPerUserYear", "is required, with a price for each of "
                    + Set.of(ContractFeature.values()));
        }
        Map<ContractFeature, Long> features = new EnumMap<>(ContractFeature.class);
        for (ContractFeature feature : ContractFeature.values()) {
            features.put(feature, price(update.featurePricesPerUserYear().get(feature),
                    "featurePricesPerUserYear." + feature));
        }
        int twoYear = percent(update.twoYearDiscountPercent(), "twoYearDiscountPercent");
        int threeYear = percent(update.threeYearDiscountPercent(), "threeYearDiscountPercent");
        Map<String, Integer> sectors = new TreeMap<>();
        if (update.sectorDiscountPercent() != null) {
            if (update.sectorDiscountPercent().size() > MAX_SECTORS) {
                throw DomainException.invalidField("sectorDiscountPercent", "at most " + MAX_SECTORS + " sectors");
            }
            for (Map.Entry<String, BigDecimal> entry : update.sectorDiscountPercent().entrySet()) {
                String sector = sectorCode(entry.getKey());
                if (sector == null) {
                    throw DomainException.invalidField("sectorDiscountPercent",
                            "sector codes are 2 to 32 letters, digits or _, starting with a letter");
                }
                if (sectors.put(sector, percent(entry.getValue(), "sectorDiscountPercent." + sector)) != null) {
                    throw DomainException.invalidField("sectorDiscountPercent", "sector " + sector + " appears twice");
                }
            }
        }

        PriceListRecord record = PriceListRecord.findById(mspId);
        if (record == null) {
            record = new PriceListRecord();
            record.mspId = mspId;
        }
        record.currency = currency;
        record.basePriceMinor = base;
        record.ulearnPriceMinor = features.get(ContractFeature.ULEARN);
        record.uphishPriceMinor = features.get(ContractFeature.UPHISH);
        record.ubreachPriceMinor = features.get(ContractFeature.UBREACH);
        record.upolicyPriceMinor = features.get(ContractFeature.UPOLICY);
        record.twoYearDiscountBp = twoYear;
        record.threeYearDiscountBp = threeYear;
        record.updatedBy = caller.subject();
        record.updatedAt = clock.now();
        record.persist();
        SectorDiscountRecord.delete("key.mspId", mspId);
        SectorDiscountRecord.flush();
        for (Map.Entry<String, Integer> sector : sectors.entrySet()) {
            SectorDiscountRecord row = new SectorDiscountRecord();
            row.key = new SectorDiscountRecord.Key(mspId, sector.getKey());
            row.discountBp = sector.getValue();
            row.persist();
        }
        return view(effective(mspId));
    }

    /** The price list that applies to the MSP now: its own, or the defaults. */
    Effective effective(UUID mspId) {
        PriceListRecord record = PriceListRecord.findById(mspId);
        if (record == null) {
            return defaults(mspId);
        }
        Map<ContractFeature, Long> features = new EnumMap<>(ContractFeature.class);
        features.put(ContractFeature.ULEARN, record.ulearnPriceMinor);
        features.put(ContractFeature.UPHISH, record.uphishPriceMinor);
        features.put(ContractFeature.UBREACH, record.ubreachPriceMinor);
        features.put(ContractFeature.UPOLICY, record.upolicyPriceMinor);
        Map<String, Integer> sectors = new TreeMap<>();
        SectorDiscountRecord.<SectorDiscountRecord>list("key.mspId", mspId)
                .forEach(s -> sectors.put(s.key.sector(), s.discountBp));
        return new Effective(mspId, false, record.currency, record.basePriceMinor, features,
                record.twoYearDiscountBp, record.threeYearDiscountBp, sectors, record.updatedBy, record.updatedAt);
    }

    /** The configured default price list; a bad configuration fails the startup with the property named. */
    Effective defaults(UUID mspId) {
        ContractsConfig.DefaultPriceList d = config.defaultPriceList();
        String prefix = "usersync.billing.contracts.default-price-list.";
        try {
            Map<ContractFeature, Long> features = new EnumMap<>(ContractFeature.class);
            features.put(ContractFeature.ULEARN, price(d.ulearnPrice(), prefix + "ulearn-price"));
            features.put(ContractFeature.UPHISH, price(d.uphishPrice(), prefix + "uphish-price"));
            features.put(ContractFeature.UBREACH, price(d.ubreachPrice(), prefix + "ubreach-price"));
            features.put(ContractFeature.UPOLICY, price(d.upolicyPrice(), prefix + "upolicy-price"));
            Map<String, Integer> sectors = new TreeMap<>();
            for (String entry : d.sectorDiscounts()) {
                String[] parts = entry.split(":", 2);
                String sector = sectorCode(parts[0].strip());
                if (parts.length != 2 || sector == null) {
                    throw DomainException.invalidField(prefix + "sector-discounts", "entries are SECTOR:percent");
                }
                sectors.put(sector, percent(new BigDecimal(parts[1].strip()), prefix + "sector-discounts"));
            }
            return new Effective(mspId, true, currency(d.currency(), prefix + "currency"),
                    price(d.basePrice(), prefix + "base-price"), features,
                    percent(d.twoYearDiscountPercent(), prefix + "two-year-discount-percent"),
                    percent(d.threeYearDiscountPercent(), prefix + "three-year-discount-percent"), sectors, null, null);
        } catch (DomainException | NumberFormatException e) {
            throw new IllegalStateException("Invalid default contract price list: " + e.getMessage(), e);
        }
    }

    static PriceList view(Effective e) {
        Map<String, BigDecimal> sectors = new LinkedHashMap<>();
        e.sectorBp().forEach((sector, bp) -> sectors.put(sector, ContractPricing.percent(bp)));
        return new PriceList(e.mspId(), e.isDefault(), e.currency(), e.basePrice(), e.featurePrices(),
                ContractPricing.percent(e.twoYearBp()), ContractPricing.percent(e.threeYearBp()), sectors,
                e.updatedBy(), e.updatedAt());
    }

    /** An upper-case sector code, or null when the text is not one. */
    static String sectorCode(String text) {
        if (text == null) {
            return null;
        }
        String code = text.strip().toUpperCase(Locale.ROOT);
        return SECTOR.matcher(code).matches() ? code : null;
    }

    private static String currency(String code, String field) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw DomainException.invalidField(field, "must be an ISO 4217 currency code such as GBP or EUR");
        }
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField(field, "is not an ISO 4217 currency code");
        }
        return code;
    }

    private static long price(Long minor, String field) {
        if (minor == null || minor < 0 || minor > MAX_PRICE) {
            throw DomainException.invalidField(field, "must be a price in minor units from 0 to " + MAX_PRICE);
        }
        return minor;
    }

    private static int percent(BigDecimal percent, String field) {
        int bp = ContractPricing.basisPoints(percent);
        if (bp < 0) {
            throw DomainException.invalidField(field, "must be a percentage from 0 to 100 with at most 2 decimals");
        }
        return bp;
    }
}
