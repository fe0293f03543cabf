package io.usersync.billing.internal.contracts;

import io.usersync.common.time.JobInterval;
import org.eclipse.microprofile.config.spi.Converter;

/** Validates {@code usersync.billing.contracts.limit-check-every} (the value itself is kept as written). */
public final class LimitCheckEvery implements Converter<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String convert(String value) {
        return JobInterval.check(value, "usersync.billing.contracts.limit-check-every", true);
    }
}
