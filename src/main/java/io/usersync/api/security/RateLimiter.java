package io.usersync.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Token buckets (Bucket4j) per key (a caller, an address), in a bounded Caffeine cache: at most
 * {@code maxKeys} keys, and a key idle for one period is dropped (its bucket would be full again by then).
 */
final class RateLimiter {

    private final int requests;
    private final Duration period;
    private final Cache<String, Bucket> buckets;

    RateLimiter(int requests, Duration period, int maxKeys) {
        this.requests = requests;
        this.period = period;
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(period).build();
    }

    /** Takes one request from the key's bucket: 0 when allowed, else the wait in nanoseconds until one is. */
    long tryTake(String key) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** The wait until the key's bucket holds a request again, without taking one (0: it holds one now). */
    long waitFor(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return 0;
        }
        return bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }

    /** Takes one request from the key's bucket whether or not it holds one (it may go empty, never below). */
    void spend(String key) {
        bucket(key).tryConsume(1);
    }

    long trackedKeys() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(requests).refillGreedy(requests, period).build()).build());
    }

    /** Whole seconds to announce in Retry-After for a wait (at least 1). */
    static long retryAfterSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
