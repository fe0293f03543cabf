package io.usersync.webhook.delivery;

import java.time.Duration;
import java.util.List;

/**
 * What happens after a failed attempt, as a pure function. The schedule lists the waits after the first,
 * second, ... failed attempt (default: the Standard Webhooks example, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
 * 20 h, 24 h: ten attempts over about three days), each stretched or shrunk by up to {@code jitter} so that
 * endpoints that failed together are not retried together. A {@code Retry-After} answer (429, 503, ...) waits at
 * least that long. {@code 410 Gone} means the receiver wants no more webhooks: the endpoint is disabled.
 */
public final class RetrySchedule {

    /** After a failed attempt: retry after {@code delay}, give up on this delivery, or disable the endpoint. */
    public enum Action { RETRY, GIVE_UP, DISABLE_ENDPOINT }

    public record Decision(Action action, Duration delay) {
    }

    private final List<Duration> waits;
    private final double jitter;

    /** @param jitter fraction of each wait added or removed at random, 0 to 0.5 */
    public RetrySchedule(List<Duration> waits, double jitter) {
        if (waits.isEmpty() || waits.stream().anyMatch(w -> w.isNegative() || w.isZero())) {
            throw new IllegalArgumentException("the retry schedule needs at least one positive wait");
        }
        if (jitter < 0 || jitter > 0.5) {
            throw new IllegalArgumentException("jitter must be between 0 and 0.5");
        }
        this.waits = List.copyOf(waits);
        this.jitter = jitter;
    }

    /**
     * @param failedSoFar attempts of this delivery that failed in the current schedule, this one included (1 after
     *                    the first attempt)
     * @param statusCode  the answer's status, or null when there was none
     * @param retryAfter  the answer's Retry-After, or null
     * @param random      a number in [0, 1) choosing the jitter
     */
    public Decision afterFailure(int failedSoFar, Integer statusCode, Duration retryAfter, double random) {
        if (statusCode != null && statusCode == 410) {
            return new Decision(Action.DISABLE_ENDPOINT, null);
        }
        if (failedSoFar > waits.size()) {
            return new Decision(Action.GIVE_UP, null);
        }
        Duration wait = waits.get(failedSoFar - 1);
        long millis = Math.round(wait.toMillis() * (1 + jitter * (2 * random - 1)));
        Duration delay = Duration.ofMillis(Math.max(1, millis));
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        return new Decision(Action.RETRY, delay);
    }

    /** Attempts a delivery gets in total when every one fails. */
    public int attempts() {
        return waits.size() + 1;
    }

    /** The longest a delivery can stay pending without jitter or Retry-After. */
    public Duration span() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
