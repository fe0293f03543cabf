-- One row per event published to at least one endpoint, written in the transaction of the change it reports.
-- payload is the exact body sent (and signed) on every attempt; id is the webhook-id.
CREATE TABLE webhook_message (
    id          BINARY(16)  NOT NULL,
    msp_id      BINARY(16)  NOT NULL,
    client_id   BINARY(16)  NULL,
    event_type  VARCHAR(40) NOT NULL,
    occurred_at DATETIME(6) NOT NULL,
    payload     MEDIUMTEXT  NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_webhook_message_tenant (msp_id, id),
    KEY ix_webhook_message_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
