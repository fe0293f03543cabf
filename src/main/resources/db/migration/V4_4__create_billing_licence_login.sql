-- Login events ingested for licence plans. The sender's event id is the idempotency key (per client account):
-- a replay never inserts twice. batch_id tells which ingest request inserted a row, so a request can tell its
-- own inserts from rows that were already there without locking.
CREATE TABLE billing_licence_login (
    msp_id      BINARY(16)   NOT NULL,
    client_id   BINARY(16)   NOT NULL,
    event_id    VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    user_id     BINARY(16)   NOT NULL,
    occurred_at DATETIME(6)  NOT NULL,
    batch_id    BINARY(16)   NOT NULL,
    ingested_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (msp_id, client_id, event_id),
    KEY ix_billing_licence_login_time (msp_id, client_id, occurred_at, user_id),
    KEY ix_billing_licence_login_user (msp_id, client_id, user_id, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
