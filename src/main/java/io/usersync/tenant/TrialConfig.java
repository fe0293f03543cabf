package io.usersync.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Trials of client accounts ({@code usersync.billing.trial.*}). A client account in {@code TRIAL} is not
 * billed; every trial has an end ({@code trialEndsAt}), and at the end billing records a "trial ended" notice
 * and, if so configured, makes the account {@code ACTIVE}. Every value is checked at startup.
 */
@ConfigMapping(prefix = "usersync.billing.trial")
public interface TrialConfig {

    /**
     * The longest trial, in days from its start, and the length of a new one. A whole number from 1 to 365
     * ({@link TrialMaxDays}). MSP admins and operators may end a trial earlier or move its end within this.
     */
    @WithDefault("30")
    @WithConverter(TrialMaxDays.class)
    int maxDays();

    /**
     * What happens when a trial ends: {@code notice} (a {@code TRIAL_ENDED} billing notice; the account stays in
     * TRIAL, unbilled, until its MSP converts it — the notice stays open until then) or {@code activate} (the
     * notice, and the account becomes ACTIVE, billed from the trial's end instant).
     */
    @WithDefault("notice")
    OnEnd onEnd();

    /**
     * How often ended trials are looked for: a positive duration ({@code 1m}); it cannot be {@code off}, a
     * trial must never end silently.
     */
    @WithDefault("1m")
    @WithConverter(TrialCheckEvery.class)
    String checkEvery();

    /** Values of {@code usersync.billing.trial.on-end}. */
    enum OnEnd {
        NOTICE, ACTIVATE
    }
}
