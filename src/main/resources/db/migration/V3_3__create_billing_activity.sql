-- When each user was active, whatever its client's billing state: maximal [from_at, to_at) spans derived from
-- the user's USER_ACTIVE events. An open span ends at 9999-12-31. Used to recompute billable intervals when a
-- client's billing state changes.
CREATE TABLE billing_activity (
    msp_id    BINARY(16)  NOT NULL,
    client_id BINARY(16)  NOT NULL,
    user_id   BINARY(16)  NOT NULL,
    from_at   DATETIME(6) NOT NULL,
    to_at     DATETIME(6) NOT NULL,
    PRIMARY KEY (msp_id, user_id, from_at),
    KEY ix_billing_activity_client (msp_id, client_id, to_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
