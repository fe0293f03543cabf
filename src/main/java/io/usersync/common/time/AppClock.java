package io.usersync.common.time;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one source of "now" for the whole service. Always UTC, truncated to microseconds because that is what a
 * {@code DATETIME(6)} column keeps, so an instant read back from the database equals the one written.
 * Tests replace the underlying {@link Clock} to move time deterministically.
 */
@ApplicationScoped
public class AppClock {

    private volatile Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Replaces the time source; meant for tests and benchmarks that need a controllable clock. */
    public void use(Clock replacement) {
        this.clock = replacement;
    }

    public Clock clock() {
        return clock;
    }
}
