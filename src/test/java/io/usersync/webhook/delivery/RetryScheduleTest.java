package io.usersync.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    static final List<Duration> STANDARD = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(14), Duration.ofHours(20), Duration.ofHours(24));

    @Test
    void theStandardScheduleSpansAboutThreeDaysInTenAttempts() {
        RetrySchedule schedule = new RetrySchedule(STANDARD, 0);
        assertEquals(10, schedule.attempts());
        assertEquals(Duration.ofHours(75).plusMinutes(35).plusSeconds(5), schedule.span());
        for (int failed = 1; failed <= 9; failed++) {
            RetrySchedule.Decision d = schedule.afterFailure(failed, 500, null, 0.5);
            assertEquals(RetrySchedule.Action.RETRY, d.action());
            assertEquals(STANDARD.get(failed - 1), d.delay());
        }
        assertEquals(RetrySchedule.Action.GIVE_UP, schedule.afterFailure(10, 500, null, 0.5).action());
        assertEquals(RetrySchedule.Action.GIVE_UP, schedule.afterFailure(10, null, null, 0.5).action());
    }

    @Test
    void goneDisablesTheEndpointAndRetryAfterIsHonoured() {
        RetrySchedule schedule = new RetrySchedule(STANDARD, 0.1);
        assertEquals(RetrySchedule.Action.DISABLE_ENDPOINT, schedule.afterFailure(1, 410, null, 0.3).action());
        assertEquals(Duration.ofMinutes(10), schedule.afterFailure(1, 429, Duration.ofMinutes(10), 0.3).delay());
        // a Retry-After shorter than the schedule does not speed retries up
        assertEquals(Duration.ofMinutes(5), schedule.afterFailure(2, 503, Duration.ofSeconds(1), 0.5).delay());
    }

    /** Every retry waits within the jitter band around its scheduled wait (or longer, per Retry-After). */
    @Property(tries = 500)
    void waitsStayWithinTheJitterBand(@ForAll @IntRange(min = 1, max = 9) int failed,
            @ForAll @DoubleRange(min = 0, max = 0.99) double random,
            @ForAll @IntRange(min = 0, max = 50) int jitterPercent) {
        RetrySchedule schedule = new RetrySchedule(STANDARD, jitterPercent / 100.0);
        Duration planned = STANDARD.get(failed - 1);
        Duration delay = schedule.afterFailure(failed, 502, null, random).delay();
        double low = planned.toMillis() * (1 - jitterPercent / 100.0) - 1;
        double high = planned.toMillis() * (1 + jitterPercent / 100.0) + 1;
        assertTrue(delay.toMillis() >= low && delay.toMillis() <= high, delay + " vs " + planned);
    }
}
