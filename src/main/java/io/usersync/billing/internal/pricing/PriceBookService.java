package io.usersync.billing.internal.pricing;

import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBook;
import io.usersync.billing.api.PriceBookChange;
import io.usersync.billing.api.PriceBooks;
import io.usersync.billing.api.PricingMode;
import io.usersync.billing.internal.BillingAccess;
import io.usersync.billing.internal.BillingConfig;
import io.usersync.billing.internal.Sql;
import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Versioned price books. An MSP without a version of its own is priced with the configured default (version 0),
 * so an invoice can always be issued. Versions are append-only: a change is a new version effective now, and
 * the invoice of a period uses the version in force at the period's end.
 */
@ApplicationScoped
public class PriceBookService implements PriceBooks {

    static final int MAX_BANDS = 50;
    static final int MAX_SCALE = 6;
    static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    @Inject
    DataSource dataSource;

    @Inject
    BillingConfig config;

    @Inject
    AppClock clock;

    private PriceBook defaults;

    /** Parses and validates the configured default so a wrong setting fails at startup, not at invoicing. */
    @PostConstruct
    void loadDefault() {
        BillingConfig.DefaultPriceBook book = config.defaultPriceBook();
        List<PriceBand> bands = new ArrayList<>();
        for (String band : book.bands()) {
            String[] parts = band.strip().split(":");
            if (parts.length != 2) {
                throw new IllegalStateException("usersync.billing.default-price-book.bands: '" + band
                        + "' is not fromUsers:unitPrice");
            }
            try {
                bands.add(new PriceBand(Integer.parseInt(parts[0].strip()), new BigDecimal(parts[1].strip())));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("usersync.billing.default-price-book.bands: '" + band
                        + "' is not fromUsers:unitPrice");
            }
        }
        try {
            PriceBookChange change = validate(new PriceBookChange(book.currency(), book.mode(), bands));
            defaults = new PriceBook(null, 0, null, change.currency(), change.mode(), change.bands());
        } catch (DomainException e) {
            throw new IllegalStateException("usersync.billing.default-price-book: " + e.getMessage());
        }
    }

    @Override
    @Transactional
    public PriceBook current(Caller caller, UUID mspId) {
        BillingAccess.requireRead(caller, mspId);
        try (Connection c = dataSource.getConnection()) {
            BillingAccess.account(c, mspId);
            return inForce(c, mspId, clock.now(), true);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    @Transactional
    public PriceBook replace(Caller caller, UUID mspId, PriceBookChange change) {
        caller.requireAtLeast(Role.OPERATOR);
        PriceBookChange valid = validate(change);
        try (Connection c = dataSource.getConnection()) {
            BillingAccess.storedAccount(c, mspId);
            // Lock the MSP's versions so two concurrent changes get distinct version numbers.
            Sql.query(c, "SELECT msp_id FROM billing_account WHERE msp_id = ? FOR UPDATE", rs -> null, mspId);
            Integer last = Sql.one(c, "SELECT MAX(version) AS v FROM billing_price_book WHERE msp_id = ?",
                    rs -> (Integer) rs.getObject("v", Integer.class), mspId);
            int version = last == null ? 1 : last + 1;
            Instant now = clock.now();
            Sql.update(c, "INSERT INTO billing_price_book (msp_id, version, effective_from, currency, pricing_mode,"
                    + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", mspId, version, now, valid.currency(),
                    valid.mode(), caller.subject(), now);
            List<Object[]> rows = new ArrayList<>();
            for (PriceBand band : valid.bands()) {
                rows.add(new Object[] { mspId, version, band.fromUsers(), band.unitPrice() });
            }
            Sql.batch(c, "INSERT INTO billing_price_band (msp_id, version, from_users, unit_price) VALUES (?, ?, ?, ?)",
                    rows);
            return new PriceBook(mspId, version, now, valid.currency(), valid.mode(), valid.bands());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The version in force at an instant: the latest whose {@code effective_from} is before it (or at it when
     * {@code inclusive}), else the default. The closer asks for the period's end, so a version set at any time
     * during a period prices the whole of it (documented on {@link PriceBooks}).
     */
    public PriceBook inForce(Connection c, UUID mspId, Instant at, boolean inclusive) {
        Object[] head = Sql.one(c, "SELECT version, effective_from, currency, pricing_mode FROM billing_price_book"
                + " WHERE msp_id = ? AND effective_from " + (inclusive ? "<=" : "<") + " ?"
                + " ORDER BY effective_from DESC, version DESC LIMIT 1", rs -> new Object[] { rs.getInt("version"),
                        Sql.instant(rs, "effective_from"), rs.getString("currency"), rs.getString("pricing_mode") },
                mspId, at);
        if (head == null) {
            return new PriceBook(mspId, 0, null, defaults.currency(), defaults.mode(), defaults.bands());
        }
        int version = (Integer) head[0];
        List<PriceBand> bands = Sql.query(c, "SELECT from_users, unit_price FROM billing_price_band"
                + " WHERE msp_id = ? AND version = ? ORDER BY from_users", rs -> new PriceBand(rs.getInt("from_users"),
                        Pricing.normalize(rs.getBigDecimal("unit_price"), (String) head[2])), mspId, version);
        return new PriceBook(mspId, version, (Instant) head[1], (String) head[2],
                PricingMode.valueOf((String) head[3]), bands);
    }

    /**
     * Checks a price book: an ISO 4217 currency with minor units, a mode (VOLUME when absent), 1–50 bands
     * ascending by {@code fromUsers} starting at 1, unit prices from 0 to 1,000,000 with at most 6 decimals.
     * Refusals name the offending field, e.g. {@code bands[2].unitPrice}.
     */
    static PriceBookChange validate(PriceBookChange change) {
        if (change == null) {
            throw DomainException.invalidField("body", "a price book is required");
        }
        String code = change.currency() == null ? null : change.currency().strip().toUpperCase(Locale.ROOT);
        if (code == null || !CURRENCY.matcher(code).matches()) {
            throw DomainException.invalidField("currency", "must be an ISO 4217 code such as EUR");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("currency", "is not an ISO 4217 currency");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw DomainException.invalidField("currency", "has no minor unit and cannot be invoiced");
        }
        List<PriceBand> bands = change.bands();
        if (bands == null || bands.isEmpty()) {
            throw DomainException.invalidField("bands", "at least one band is required");
        }
        if (bands.size() > MAX_BANDS) {
            throw DomainException.invalidField("bands", "at most " + MAX_BANDS + " bands");
        }
        List<PriceBand> clean = new ArrayList<>(bands.size());
        for (int i = 0; i < bands.size(); i++) {
            PriceBand band = bands.get(i);
            String field = "bands[" + i + "]";
            if (band == null) {
                throw DomainException.invalidField(field, "must not be null");
            }
            if (i == 0 && band.fromUsers() != 1) {
                throw DomainException.invalidField(field + ".fromUsers", "the first band must start at 1");
            }
            if (i > 0 && band.fromUsers() <= bands.get(i - 1).fromUsers()) {
                throw DomainException.invalidField(field + ".fromUsers", "must be greater than the previous band's");
            }
            BigDecimal price = band.unitPrice();
            if (price == null) {
                throw DomainException.invalidField(field + ".unitPrice", "is required");
            }
            price = price.stripTrailingZeros();
            if (price.signum() < 0 || price.compareTo(MAX_UNIT_PRICE) > 0) {
                throw DomainException.invalidField(field + ".unitPrice", "must be from 0 to " + MAX_UNIT_PRICE);
            }
            if (price.scale() > MAX_SCALE) {
                throw DomainException.invalidField(field + ".unitPrice", "at most " + MAX_SCALE + " decimals");
            }
            clean.add(new PriceBand(band.fromUsers(), Pricing.normalize(price, code)));
        }
        return new PriceBookChange(code, change.mode() == null ? PricingMode.VOLUME : change.mode(), List.copyOf(clean));
    }
}
