package io.usersync.billing.internal.contracts;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/** Validates {@code usersync.billing.contracts.limit-check-every} (the value itself is kept as written). */
public final class LimitCheckEvery implements Converter<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String convert(String value) {
        return check(value, "usersync.billing.contracts.limit-check-every", true);
    }

    /**
     * A job interval as written: a positive Quarkus duration, or (when {@code offAllowed}) {@code off} /
     * {@code disabled}; anything else stops the startup with a message naming the property.
     */
    static String check(String value, String property, boolean offAllowed) {
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
