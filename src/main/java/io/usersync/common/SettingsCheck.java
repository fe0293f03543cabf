package io.usersync.common;

import java.util.function.BiConsumer;

/**
 * A part of the service that checks its own settings at start-up. Beans implementing it are asked by
 * {@code platform.StartupChecks}, which refuses to start with every problem reported, in one line.
 */
public interface SettingsCheck {

    /** Reports each problem as (property, what is wrong with it). */
    void check(BiConsumer<String, String> problem);
}
