-- The transactional outbox of webhooks: one row per (message, endpoint), written with the message. A PENDING row
-- is due at next_attempt_at; a replica claims it with SELECT ... FOR UPDATE SKIP LOCKED and moves next_attempt_at
-- to the end of its lease (lease_owner), so a replica that dies mid-attempt leaves the row due again when the
-- lease expires: delivered at least once. schedule_step is the position in the retry schedule; requeued_by
-- names who asked for a redelivery until its attempt is made.
CREATE TABLE webhook_delivery (
    id               BINARY(16)   NOT NULL,
    msp_id           BINARY(16)   NOT NULL,
    endpoint_id      BINARY(16)   NOT NULL,
    message_id       BINARY(16)   NOT NULL,
    status           VARCHAR(12)  NOT NULL,
    attempts         INT          NOT NULL,
    schedule_step    INT          NOT NULL,
    next_attempt_at  DATETIME(6)  NULL,
    lease_owner      VARCHAR(100) NULL,
    last_attempt_at  DATETIME(6)  NULL,
    last_status_code INT          NULL,
    last_latency_ms  INT          NULL,
    last_error       VARCHAR(500) NULL,
    delivered_at     DATETIME(6)  NULL,
    requeued_by      VARCHAR(200) NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_webhook_delivery_tenant (msp_id, id),
    UNIQUE KEY uk_webhook_delivery_message (msp_id, endpoint_id, message_id),
    KEY ix_webhook_delivery_due (status, next_attempt_at),
    KEY ix_webhook_delivery_endpoint (msp_id, endpoint_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
