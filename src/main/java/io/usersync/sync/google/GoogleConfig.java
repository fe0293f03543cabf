package io.usersync.sync.google;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how the Google Workspace adapter connects. Operator configuration only: nothing a tenant supplies
 * (in particular the {@code token_uri} and {@code universe_domain} inside an uploaded service-account key) can
 * change these endpoints. Tests and the demo point them at the local emulator.
 */
@ConfigMapping(prefix = "usersync.sync.google")
public interface GoogleConfig {

    /** Root URL of the Admin SDK Directory API, given to {@code Directory.Builder#setRootUrl}. */
    @WithDefault("https://admin.googleapis.com/")
    String rootUrl();

    /** OAuth 2.0 token endpoint for the service-account JWT-bearer grant (domain-wide delegation). */
    @WithDefault("https://oauth2.googleapis.com/token")
    URI tokenUri();

    /** TCP connect timeout of one request (never longer than what is left of the run's deadline). */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Read timeout of one request (never longer than what is left of the run's deadline). */
    @WithDefault("60s")
    Duration readTimeout();

    Retry retry();

    /**
     * Back-off of throttled and failed requests. Throttling (403 {@code userRateLimitExceeded} /
     * {@code rateLimitExceeded} / {@code quotaExceeded}, 429) is retried until the run's deadline; server errors
     * (5xx) and transport failures at most {@link #maxAttempts()} times. Waits grow exponentially from
     * {@link #initialBackoff()} up to {@link #maxBackoff()}, each with random jitter (half fixed, half random).
     */
    interface Retry {
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("32s")
        Duration maxBackoff();

        /** Attempts of one request that fails with 5xx or a transport error, the first included. */
        @WithDefault("4")
        int maxAttempts();
    }
}
