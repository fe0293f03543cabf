package io.usersync.common.time;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;

/**
 * Checks a scheduled job's interval setting as written (the scheduler reads the raw value too): a positive
 * Quarkus duration ({@code 30s}, {@code 5m}, {@code PT5M}), or, where the job may be switched off, {@code off} /
 * {@code disabled}. Anything else stops the startup with one line naming the property.
 */
public final class JobInterval {

    private JobInterval() {
    }

    public static String check(String value, String property, boolean offAllowed) {
        String text = value == null ? "" : value.strip();
        if (offAllowed && (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("disabled"))) {
            return text;
        }
        Duration every;
        try {
            every = DurationConverter.parseDuration(text);
        } catch (RuntimeException e) {
            every = null;
        }
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration such as 5m, 30s, 1h or PT5M"
                    + (offAllowed ? ", or off" : " (it cannot be switched off)") + "; got \"" + value + "\"");
        }
        return text;
    }
}
