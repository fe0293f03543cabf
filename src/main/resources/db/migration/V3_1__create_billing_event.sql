-- Every outbox event billing has applied, kept for good: the primary key is the permanent event id, so a
-- replayed or duplicated event is recognised and never counts twice, and the per-user / per-client history is
-- what the ledger is recomputed from when an event arrives out of order. seq is the outbox position of the
-- first delivery; it orders events of one user or client that share an instant.
CREATE TABLE billing_event (
    msp_id         BINARY(16)  NOT NULL,
    event_id       BINARY(16)  NOT NULL,
    seq            BIGINT      NOT NULL,
    kind           VARCHAR(24) NOT NULL,
    client_id      BINARY(16)  NULL,
    user_id        BINARY(16)  NULL,
    occurred_at    DATETIME(6) NOT NULL,
    now_active     BOOLEAN     NULL,
    client_status  VARCHAR(16) NULL,
    billing_model  VARCHAR(16) NULL,
    client_deleted BOOLEAN     NULL,
    payment_method BOOLEAN     NULL,
    applied_at     DATETIME(6) NOT NULL,
    PRIMARY KEY (msp_id, event_id),
    KEY ix_billing_event_user (msp_id, user_id, occurred_at),
    KEY ix_billing_event_client (msp_id, client_id, kind, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
