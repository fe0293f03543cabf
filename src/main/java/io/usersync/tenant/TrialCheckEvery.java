package io.usersync.tenant;

import io.usersync.common.time.JobInterval;
import org.eclipse.microprofile.config.spi.Converter;

/** Validates {@code usersync.billing.trial.check-every}: a positive duration, never off. */
public final class TrialCheckEvery implements Converter<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String convert(String value) {
        return JobInterval.check(value, "usersync.billing.trial.check-every", false);
    }
}
