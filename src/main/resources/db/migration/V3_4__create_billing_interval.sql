-- When each user was billable: activity intersected with its client's billable windows (not TRIAL, MONTHLY, not
-- deleted). Maximal, disjoint [from_at, to_at) per user; an open interval ends at 9999-12-31. newcomer marks an
-- interval that starts strictly inside its billing period while the user had no billable time earlier in that
-- period, so distinct users of a period = users billable at its start + newcomers (kept per bucket).
CREATE TABLE billing_interval (
    msp_id    BINARY(16)  NOT NULL,
    client_id BINARY(16)  NOT NULL,
    user_id   BINARY(16)  NOT NULL,
    from_at   DATETIME(6) NOT NULL,
    to_at     DATETIME(6) NOT NULL,
    newcomer  BOOLEAN     NOT NULL,
    PRIMARY KEY (msp_id, user_id, from_at),
    KEY ix_billing_interval_from (msp_id, from_at),
    KEY ix_billing_interval_to (msp_id, to_at),
    KEY ix_billing_interval_client_from (msp_id, client_id, from_at),
    KEY ix_billing_interval_client_to (msp_id, client_id, to_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
