package io.usersync.billing.api;

import io.usersync.tenant.Caller;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Trials, as billing sees them: a client account in TRIAL is not billed, and its trial has an end. When it
 * ends billing records a {@code TRIAL_ENDED} {@link Notice} and, with {@code usersync.billing.trial.on-end=
 * activate}, makes the account ACTIVE, billed from the end instant. Never silent: the MSP's usage lists its trials
 * with their end dates, and the notice stays open while an ended trial is left unconverted.
 */
public interface Trials {

    /**
     * A client account in TRIAL.
     *
     * @param ended whether its end has passed (it is then waiting for conversion, with an open notice)
     * @param onEnd what happens at the end: {@code NOTICE} or {@code ACTIVATE}
     */
    record Trial(UUID clientId, String name, Instant trialStartedAt, Instant trialEndsAt, boolean ended,
            String onEnd) {
    }

    /** The MSP's client accounts in TRIAL, soonest end first (operators and the MSP's admins). */
    List<Trial> trials(Caller caller, UUID mspId);

    /**
     * Handles every trial that has ended (what the scheduled job does): raises its notice once, activates it when
     * so configured, and clears the notices of trials that were converted or extended since. Returns how many
     * trials ended in this call.
     */
    int endDueTrials();
}
