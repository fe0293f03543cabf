-- First answers of POST requests sent with an Idempotency-Key, per caller, for replay (api/idempotency). The key
-- and the caller are stored as SHA-256 hashes (fixed-size index; a caller's key names nothing readable here).
-- Rows expire (usersync.idempotency.retention, at least 24 h) and are purged in batches.
CREATE TABLE idempotency_record (
    caller_hash  BINARY(32)    NOT NULL,
    key_hash     BINARY(32)    NOT NULL,
    request_hash BINARY(32)    NOT NULL,
    state        VARCHAR(12)   NOT NULL,
    status       SMALLINT      NULL,
    content_type VARCHAR(200)  NULL,
    location     VARCHAR(2000) NULL,
    body         MEDIUMBLOB    NULL,
    created_at   DATETIME(6)   NOT NULL,
    expires_at   DATETIME(6)   NOT NULL,
    PRIMARY KEY (caller_hash, key_hash),
    KEY ix_idempotency_record_expiry (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
