-- Trials end: a client account in TRIAL has the start and end of its trial (null in any other status). Trials
-- running when this migration runs get the default length, 30 days from the account's creation
-- (usersync.billing.trial.max-days); those older than that have ended and get their notice at once.
ALTER TABLE client_account
    ADD COLUMN trial_started_at DATETIME(6) NULL,
    ADD COLUMN trial_ends_at    DATETIME(6) NULL,
    ADD KEY ix_client_account_trial_end (trial_ends_at);

UPDATE client_account SET trial_started_at = created_at, trial_ends_at = DATE_ADD(created_at, INTERVAL 30 DAY)
 WHERE status = 'TRIAL';

-- The history shows the trial end after each change (and TRIAL_END changes, which only move it).
ALTER TABLE client_status_change ADD COLUMN trial_ends_at DATETIME(6) NULL;
