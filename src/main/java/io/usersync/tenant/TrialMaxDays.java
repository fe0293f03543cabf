package io.usersync.tenant;

import org.eclipse.microprofile.config.spi.Converter;

/** Validates {@code usersync.billing.trial.max-days}: a whole number of days from 1 to 365. */
public final class TrialMaxDays implements Converter<Integer> {

    private static final long serialVersionUID = 1L;
    static final int LIMIT = 365;

    @Override
    public Integer convert(String value) {
        String text = value == null ? "" : value.strip();
        int days;
        try {
            days = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            days = 0;
        }
        if (days < 1 || days > LIMIT) {
            throw new IllegalArgumentException("usersync.billing.trial.max-days must be a whole number of days from"
                    + " 1 to " + LIMIT + "; got \"" + value + "\"");
        }
        return days;
    }
}
