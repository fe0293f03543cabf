-- A client account's connection to a directory provider (at most one per provider). Credentials are stored
-- only encrypted (AES-256-GCM; key id kept for rotation); the few non-secret identifiers are kept in clear
-- for display. The lease columns make sure at most one replica runs a connection at a time.
CREATE TABLE directory_connection (
    id                         BINARY(16)    NOT NULL,
    msp_id                     BINARY(16)    NOT NULL,
    client_id                  BINARY(16)    NOT NULL,
    provider                   VARCHAR(8)    NOT NULL,
    enabled                    BOOLEAN       NOT NULL,
    pool_all_users             BOOLEAN       NOT NULL,
    include_guests             BOOLEAN       NOT NULL,
    schedule_minutes           INT           NOT NULL,
    mass_deactivation_percent  INT           NOT NULL,
    mass_deactivation_minimum  INT           NOT NULL,
    display_tenant             VARCHAR(200)  NULL,
    display_account            VARCHAR(320)  NULL,
    credentials_key_id         VARCHAR(64)   NOT NULL,
    credentials_nonce          VARBINARY(12) NOT NULL,
    credentials_ciphertext     BLOB          NOT NULL,
    credentials_updated_at     DATETIME(6)   NOT NULL,
    delta_token                TEXT          NULL,
    last_full_sync_at          DATETIME(6)   NULL,
    next_due_at                DATETIME(6)   NOT NULL,
    lease_owner                VARCHAR(100)  NULL,
    lease_expires_at           DATETIME(6)   NULL,
    created_at                 DATETIME(6)   NOT NULL,
    updated_at                 DATETIME(6)   NOT NULL,
    version                    BIGINT        NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_directory_connection_provider (msp_id, client_id, provider),
    KEY ix_directory_connection_due (enabled, next_due_at),
    CONSTRAINT fk_directory_connection_client FOREIGN KEY (client_id) REFERENCES client_account (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
