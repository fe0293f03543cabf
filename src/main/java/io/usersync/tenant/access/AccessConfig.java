package io.usersync.tenant.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** API keys for scripts and CI. */
@ConfigMapping(prefix = "usersync.api-keys")
public interface AccessConfig {

    /** Most keys (active, expired or revoked) one MSP may have, its client accounts' keys included. */
    @WithDefault("200")
    int maxPerMsp();

    /**
     * How often the last-used times of keys are written (one batch for all keys used since the last write), so a
     * key's use costs no database write per request. The API shows this replica's newer times at once; other
     * replicas' uses appear within this interval.
     */
    @WithDefault("60s")
    Duration lastUsedFlushInterval();
}
