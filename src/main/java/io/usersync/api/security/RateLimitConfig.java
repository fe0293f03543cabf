package io.usersync.api.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Request limits of the API ({@code /api/*}; health, metrics and the OpenAPI document are never limited). Each
 * limit is a token bucket: up to {@code requests} at once, refilled at {@code requests} per {@code period}. The
 * buckets live in each replica's memory: with several replicas behind a load balancer, a client may get up to
 * replicas x the limit. Behind a proxy or ingress, turn on {@code quarkus.http.proxy.proxy-address-forwarding}
 * (with trusted proxies) so the address is the client's, not the proxy's.
 */
@ConfigMapping(prefix = "usersync.rate-limit")
public interface RateLimitConfig {

    /** Whether any limit applies. */
    @WithDefault("true")
    boolean enabled();

    /** Per authenticated caller (a token's issuer and subject, or an API key). */
    @WithDefault("600")
    int perCallerRequests();

    @WithDefault("1m")
    Duration perCallerPeriod();

    /** Per client address, authenticated or not. */
    @WithDefault("1200")
    int perAddressRequests();

    @WithDefault("1m")
    Duration perAddressPeriod();

    /**
     * Per client address, answers 401 (bad, expired, revoked credentials): once spent, every request from the
     * address answers 429 until the bucket refills, so credentials cannot be guessed or replayed at speed.
     */
    @WithDefault("30")
    int failedAuthenticationRequests();

    @WithDefault("1m")
    Duration failedAuthenticationPeriod();

    /**
     * Most callers or addresses tracked per limit (memory stays bounded; the least recently seen are dropped
     * first). Keys idle for a whole period are dropped anyway: their bucket would be full again.
     */
    @WithDefault("100000")
    int maxTrackedKeys();
}
