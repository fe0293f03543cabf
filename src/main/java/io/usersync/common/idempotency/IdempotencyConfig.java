package io.usersync.common.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Replay of POST requests sent with an {@code Idempotency-Key} header. */
@ConfigMapping(prefix = "usersync.idempotency")
public interface IdempotencyConfig {

    /** How long a first answer is kept for replay, per caller and key; at least 24 h. */
    @WithDefault("24h")
    Duration retention();

    /**
     * A first request still unfinished after this long (its replica stopped mid-request) is reported as such to
     * retries (409), instead of "in progress": its outcome is unknown, so it is never run a second time. Keep it
     * above the longest request (the transaction timeout, 300 s).
     */
    @WithDefault("10m")
    Duration inProgressTimeout();

    /** How often expired records are deleted. */
    @WithDefault("1h")
    Duration purgeInterval();
}
