package io.usersync.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The token buckets behind the API's limits: exact counts, a Retry-After that is honest, bounded memory. */
class RateLimiterTest {

    @Property(tries = 50)
    void aBucketAllowsExactlyItsCapacityInABurst(@ForAll @IntRange(min = 1, max = 200) int capacity) {
        RateLimiter limiter = new RateLimiter(capacity, Duration.ofHours(1), 10);
        for (int i = 0; i < capacity; i++) {
            assertEquals(0, limiter.tryTake("k"), "request " + i);
        }
        long wait = limiter.tryTake("k");
        assertTrue(wait > 0);
        // one request comes back after period / capacity
        long expected = Duration.ofHours(1).toNanos() / capacity;
        assertTrue(Math.abs(wait - expected) < Duration.ofSeconds(1).toNanos(), wait + " vs " + expected);
        assertEquals(0, limiter.tryTake("another key"));
    }

    @Test
    void spendingEmptiesButNeverOverdrawsAndWaitForDoesNotTake() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), 10);
        assertEquals(0, limiter.waitFor("a"), "an unknown key waits for nothing");
        for (int i = 0; i < 10; i++) {
            limiter.spend("a");
        }
        long wait = limiter.waitFor("a");
        assertTrue(wait > 0 && wait <= Duration.ofSeconds(20).toNanos(), "one of 3 per minute is back in 20 s: "
                + wait);
        assertEquals(wait / 1_000_000_000L + 1, RateLimiter.retryAfterSeconds(wait));
        assertEquals(1, RateLimiter.retryAfterSeconds(1));
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfKeys() {
        RateLimiter limiter = new RateLimiter(5, Duration.ofMinutes(1), 1_000);
        for (int i = 0; i < 50_000; i++) {
            limiter.tryTake("10.0." + (i / 256) + "." + (i % 256));
        }
        assertTrue(limiter.trackedKeys() <= 1_000, limiter.trackedKeys() + " keys held");
    }
}
