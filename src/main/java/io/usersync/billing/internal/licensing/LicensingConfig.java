package io.usersync.billing.internal.licensing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of licence plans and login ingestion ({@code usersync.billing.licence.*}). */
@ConfigMapping(prefix = "usersync.billing.licence")
public interface LicensingConfig {

    /**
     * Most lines one login batch may carry. Larger batches are refused as a whole (400 naming {@code events}),
     * so one request stays one short transaction.
     */
    @WithDefault("1000")
    int maxBatchLines();
}
