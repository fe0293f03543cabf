-- Transactional outbox: one row per event the billing core must apply, inserted in the same transaction as
-- the state change and deleted by the consumer in the transaction that applies it. The row is
-- self-contained so billing never reads another module's tables.
CREATE TABLE outbox (
    seq            BIGINT      NOT NULL AUTO_INCREMENT,
    event_id       BINARY(16)  NOT NULL,
    msp_id         BINARY(16)  NOT NULL,
    kind           VARCHAR(24) NOT NULL,
    client_id      BINARY(16)  NULL,
    user_id        BINARY(16)  NULL,
    occurred_at    DATETIME(6) NOT NULL,
    was_active     BOOLEAN     NULL,
    now_active     BOOLEAN     NULL,
    client_status  VARCHAR(16) NULL,
    billing_model  VARCHAR(16) NULL,
    client_deleted BOOLEAN     NULL,
    payment_method BOOLEAN     NULL,
    PRIMARY KEY (seq),
    UNIQUE KEY uk_outbox_event (msp_id, event_id),
    KEY ix_outbox_occurred (occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
