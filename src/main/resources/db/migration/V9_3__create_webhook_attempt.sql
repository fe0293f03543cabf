-- The delivery log: every HTTP attempt with its status code (NULL: no answer), latency and error.
CREATE TABLE webhook_attempt (
    id            BINARY(16)    NOT NULL,
    msp_id        BINARY(16)    NOT NULL,
    endpoint_id   BINARY(16)    NOT NULL,
    delivery_id   BINARY(16)    NOT NULL,
    attempted_at  DATETIME(6)   NOT NULL,
    status_code   INT           NULL,
    latency_ms    INT           NOT NULL,
    succeeded     BOOLEAN       NOT NULL,
    error         VARCHAR(500)  NULL,
    response_body VARCHAR(1000) NULL,
    manual        BOOLEAN       NOT NULL,
    instance      VARCHAR(100)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_webhook_attempt_tenant (msp_id, id),
    KEY ix_webhook_attempt_endpoint (msp_id, endpoint_id, id),
    KEY ix_webhook_attempt_delivery (msp_id, delivery_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
