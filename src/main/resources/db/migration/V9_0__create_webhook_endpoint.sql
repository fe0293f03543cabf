-- Webhook endpoints of tenants: registered on an MSP (client_id NULL: every event of the MSP and its client
-- accounts) or on one client account. The signing secret is stored only AES-GCM encrypted (key id, nonce,
-- ciphertext); during a rotation's overlap the previous secret is kept too, until previous_expires_at.
CREATE TABLE webhook_endpoint (
    id                  BINARY(16)     NOT NULL,
    msp_id              BINARY(16)     NOT NULL,
    client_id           BINARY(16)     NULL,
    url                 VARCHAR(2000)  NOT NULL,
    description         VARCHAR(200)   NULL,
    event_types         VARCHAR(500)   NOT NULL,
    enabled             BOOLEAN        NOT NULL,
    disabled_reason     VARCHAR(500)   NULL,
    disabled_at         DATETIME(6)    NULL,
    failing_since       DATETIME(6)    NULL,
    secret_key_id       VARCHAR(64)    NOT NULL,
    secret_nonce        VARBINARY(16)  NOT NULL,
    secret_ciphertext   VARBINARY(255) NOT NULL,
    previous_key_id     VARCHAR(64)    NULL,
    previous_nonce      VARBINARY(16)  NULL,
    previous_ciphertext VARBINARY(255) NULL,
    previous_expires_at DATETIME(6)    NULL,
    secret_rotated_at   DATETIME(6)    NOT NULL,
    created_by          VARCHAR(200)   NOT NULL,
    created_at          DATETIME(6)    NOT NULL,
    updated_at          DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_webhook_endpoint_tenant (msp_id, id),
    KEY ix_webhook_endpoint_scope (msp_id, client_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
