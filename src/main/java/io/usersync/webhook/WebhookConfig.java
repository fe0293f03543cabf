package io.usersync.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of outbound webhooks ({@code usersync.webhooks.*}). */
@ConfigMapping(prefix = "usersync.webhooks")
public interface WebhookConfig {

    /**
     * Whether endpoints may be on loopback (127.0.0.0/8, ::1) and use plain http there. For tests and the demo
     * only: the service refuses to start with it outside the test, dev and demo profiles. Every other internal
     * address stays refused either way.
     */
    @WithDefault("false")
    boolean allowLoopback();

    /** Endpoints an MSP, or a client account, may register. */
    @WithDefault("20")
    int maxEndpoints();

    /** How long the previous secret keeps signing after a rotation, unless the rotation says otherwise. */
    @WithDefault("24h")
    Duration secretOverlap();

    /** The longest overlap a rotation may ask for. */
    @WithDefault("7d")
    Duration maxSecretOverlap();

    Delivery delivery();

    /** Background delivery. */
    interface Delivery {

        /** Whether this replica delivers (claims due deliveries); events are queued either way. */
        @WithDefault("true")
        boolean enabled();

        /** How often an idle replica looks for due deliveries (commits in the same replica wake it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Attempts in flight at once in one replica. */
        @WithDefault("16")
        int maxConcurrent();

        /** Attempts in flight at once to one endpoint, in one replica (a slow endpoint cannot take every slot). */
        @WithDefault("4")
        int maxConcurrentPerEndpoint();

        /** Time-out for establishing the connection (TCP and TLS). */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Time-out for a whole attempt: connect, send, wait for and read the answer. */
        @WithDefault("15s")
        Duration timeout();

        /** At most this many bytes of an answer are read (its start is kept in the delivery log). */
        @WithDefault("65536")
        int maxResponseBytes();

        /**
         * How long a claimed delivery is reserved for the replica that claimed it. A replica that dies mid-attempt
         * leaves it due again after this. Must be longer than {@code timeout}.
         */
        @WithDefault("60s")
        Duration leaseDuration();

        /** Name of this replica in leases and the delivery log (default: host name and a random suffix). */
        Optional<String> instanceId();

        /** Waits after the 1st, 2nd, ... failed attempt; after the last one the delivery has FAILED. */
        @WithDefault("5s,5m,30m,2h,5h,10h,14h,20h,24h")
        List<Duration> retrySchedule();

        /** Random spread of each retry wait, in percent (0 to 50). */
        @WithDefault("10")
        int retryJitterPercent();

        /** An endpoint whose attempts have all failed for this long is disabled (with a notice). */
        @WithDefault("5d")
        Duration disableAfter();

        /** Finished deliveries, their attempts and messages are deleted after this long. */
        @WithDefault("30d")
        Duration retention();

        /** On shutdown, how long attempts in flight may take to finish (the rest are retried after their lease). */
        @WithDefault("10s")
        Duration shutdownDrain();
    }
}
