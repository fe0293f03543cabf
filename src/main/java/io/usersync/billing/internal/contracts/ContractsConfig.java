package io.usersync.billing.internal.contracts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.List;

/** Settings of annual contracts ({@code usersync.billing.contracts.*}). */
@ConfigMapping(prefix = "usersync.billing.contracts")
public interface ContractsConfig {

    /**
     * How often the job applies the licensed count of the contracts in effect to their client accounts' user
     * limits (a contract that starts on a later day takes over the limit on that day). A Quarkus duration such
     * as {@code 5m} or {@code PT5M} (positive), or {@code off} / {@code disabled}. It stays a {@code String}
     * because the scheduler reads it too; {@link LimitCheckEvery} validates it at startup, so a bad value stops
     * the service with a message naming the property instead of failing later in the scheduler.
     */
    @WithDefault("5m")
    @WithConverter(LimitCheckEvery.class)
    String limitCheckEvery();

    /**
     * How often the job brings client accounts' billing models in line with their contracts: ANNUAL on the day a
     * contract starts, MONTHLY again when the last one ends (each change dated at the contract boundary, so a late
     * run bills exactly like an on-time one). A positive Quarkus duration; it cannot be {@code off}
     * ({@link ModelCheckEvery} refuses it at startup), because an account whose contract ended must go back to
     * monthly billing.
     */
    @WithDefault("1m")
    @WithConverter(ModelCheckEvery.class)
    String modelCheckEvery();

    /** The price list of MSPs that have none of their own. */
    DefaultPriceList defaultPriceList();

    /**
     * Default annual prices, in integer <b>minor</b> units of {@link #currency()} per user and contract year
     * ({@code 1200} = 12.00 GBP), unlike the monthly default price book
     * ({@code usersync.billing.default-price-book.bands}), whose unit prices are decimals in <b>major</b> units
     * per user-month ({@code 2.00}). The two defaults are also in different currencies (GBP here, EUR there).
     */
    interface DefaultPriceList {

        /** ISO 4217 currency code. */
        @WithDefault("GBP")
        String currency();

        /** Base licence price, minor units per user-year. */
        @WithDefault("1200")
        long basePrice();

        @WithDefault("600")
        long ulearnPrice();

        @WithDefault("600")
        long uphishPrice();

        @WithDefault("300")
        long ubreachPrice();

        @WithDefault("300")
        long upolicyPrice();

        /** Discount of a 2-year term, percent. */
        @WithDefault("5")
        BigDecimal twoYearDiscountPercent();

        /** Discount of a 3-year term, percent. */
        @WithDefault("10")
        BigDecimal threeYearDiscountPercent();

        /** Sector discounts as {@code SECTOR:percent} entries, e.g. {@code CHARITY:15,EDUCATION:10}. */
        @WithDefault("CHARITY:15,EDUCATION:10")
        List<String> sectorDiscounts();
    }
}
