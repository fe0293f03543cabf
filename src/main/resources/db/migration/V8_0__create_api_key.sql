-- API keys for scripts and CI: scoped to one MSP (msp-admin rights) or one client account (client-admin rights).
-- The secret is never stored: only SHA-256 over the key id and its 256-bit secret. The id is the public part of
-- the key and its lookup handle (the primary key). last_used_at is written in batches, not per request.
CREATE TABLE api_key (
    id           BINARY(16)   NOT NULL,
    msp_id       BINARY(16)   NOT NULL,
    client_id    BINARY(16)   NULL,
    name         VARCHAR(100) NOT NULL,
    role         VARCHAR(16)  NOT NULL,
    secret_hash  VARBINARY(32) NOT NULL,
    created_by   VARCHAR(200) NOT NULL,
    created_at   DATETIME(6)  NOT NULL,
    expires_at   DATETIME(6)  NULL,
    revoked_at   DATETIME(6)  NULL,
    revoked_by   VARCHAR(200) NULL,
    last_used_at DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_api_key_tenant (msp_id, id),
    KEY ix_api_key_scope (msp_id, client_id, created_at),
    CONSTRAINT fk_api_key_msp FOREIGN KEY (msp_id) REFERENCES msp (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
