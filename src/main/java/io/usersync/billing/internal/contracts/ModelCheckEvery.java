package io.usersync.billing.internal.contracts;

import io.usersync.common.time.JobInterval;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Validates {@code usersync.billing.contracts.model-check-every}: a positive duration. It cannot be {@code off}:
 * without the job an account whose contract ended would never go back to monthly billing.
 */
public final class ModelCheckEvery implements Converter<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String convert(String value) {
        return JobInterval.check(value, "usersync.billing.contracts.model-check-every", false);
    }
}
