package io.usersync.billing.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.usersync.billing.api.PricingMode;
import java.time.Duration;
import java.util.List;

/** Settings of MSP monthly billing. */
@ConfigMapping(prefix = "usersync.billing")
public interface BillingConfig {

    Consumer consumer();

    Close close();

    Payment payment();

    Suspension suspension();

    DefaultPriceBook defaultPriceBook();

    /** The outbox consumer. */
    interface Consumer {
        /** Whether this replica runs the background consumer (all replicas may; one applies at a time). */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long the consumer sleeps when the outbox is empty. A state change is visible in the live usage
         * after at most this plus one batch.
         */
        @WithDefault("200ms")
        Duration pollInterval();

        /** Outbox rows applied per transaction. */
        @WithDefault("1000")
        int batchSize();

        /**
         * The timeout of one batch's transaction (whole seconds, at least 1). A batch the transaction manager
         * cancels leaves no trace: its outbox rows stay, and the next batch applies them.
         */
        @WithDefault("60s")
        Duration transactionTimeout();
    }

    /** The closing job that issues invoices. */
    interface Close {
        /** Whether this replica runs the closing, charging and suspension jobs. */
        @WithDefault("true")
        boolean enabled();

        /** How often the jobs run. */
        @WithDefault("30s")
        Duration interval();

        /**
         * How long after a period's end its invoice may be issued. Must exceed the longest transaction that
         * can still commit an event dated before the period end (the transaction timeout, 300 s by default).
         */
        @WithDefault("10m")
        Duration grace();
    }

    /** Charging invoices. */
    interface Payment {
        /**
         * What invoices are charged through. {@code none} (the default, and production's until a processor
         * adapter exists): nothing is charged, invoices stay {@code OUTSTANDING}, arrears and suspension notices
         * accumulate as usual. {@code recording}: the in-memory test fake that charges nobody and marks invoices
         * {@code PAID} (test, dev and demo profiles only, see {@link #allowRecordingGateway()}).
         * {@code processor}: the {@link io.usersync.billing.api.PaymentGateway} bean of a processor adapter
         * (startup fails when none is deployed).
         */
        @WithDefault("none")
        Gateway gateway();

        /**
         * Lets {@code gateway=recording} start outside the test, dev and demo profiles (e.g. a staging system).
         * Without it such a start is refused, so production can never mark invoices paid without charging.
         */
        @WithDefault("false")
        boolean allowRecordingGateway();

        /** How long after a declined or failed charge an invoice is tried again (a new card is tried at once). */
        @WithDefault("6h")
        Duration retryInterval();
    }

    /** Values of {@code usersync.billing.payment.gateway}. */
    enum Gateway {
        NONE, RECORDING, PROCESSOR
    }

    /** The "suspension recommended" notice. */
    interface Suspension {
        /** An invoice outstanding longer than this flags its MSP. */
        @WithDefault("720h")
        Duration outstandingThreshold();
    }

    /** The price book of an MSP that has none of its own. */
    interface DefaultPriceBook {
        /** ISO 4217 currency code. */
        @WithDefault("EUR")
        String currency();

        @WithDefault("VOLUME")
        PricingMode mode();

        /**
         * Bands as {@code fromUsers:unitPrice}, ascending, the first from 1. The unit price is per user-month in
         * <b>major</b> units of {@link #currency()} as a decimal ({@code 2.00} = 2 EUR), unlike the contract price
         * list ({@code usersync.billing.contracts.default-price-list.*}), which is in integer <b>minor</b> units per
         * user-year. The default gives automatic volume discounts from 100 users.
         */
        @WithDefault("1:2.00,100:1.80,250:1.60,500:1.40,1000:1.20")
        List<String> bands();
    }
}
