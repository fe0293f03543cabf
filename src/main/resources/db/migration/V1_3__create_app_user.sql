-- Users of a client account. email_key / external_key are the uniqueness keys (lower-cased email with an
-- ASCII domain; provider immutable id) and are cleared when the user is deleted, so a deleted user keeps its
-- data for history while its email can be used again.
CREATE TABLE app_user (
    id           BINARY(16)   NOT NULL,
    msp_id       BINARY(16)   NOT NULL,
    client_id    BINARY(16)   NOT NULL,
    first_name   VARCHAR(100) NOT NULL,
    last_name    VARCHAR(100) NOT NULL,
    email        VARCHAR(254) NOT NULL,
    email_key    VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    active       BOOLEAN      NOT NULL,
    admin        BOOLEAN      NOT NULL,
    source       VARCHAR(8)   NOT NULL,
    external_id  VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    external_key VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    created_at   DATETIME(6)  NOT NULL,
    updated_at   DATETIME(6)  NOT NULL,
    deleted_at   DATETIME(6)  NULL,
    version      BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_app_user_email (msp_id, client_id, email_key),
    UNIQUE KEY uk_app_user_external (msp_id, client_id, source, external_key),
    KEY ix_app_user_client_active (msp_id, client_id, active),
    CONSTRAINT fk_app_user_client FOREIGN KEY (client_id) REFERENCES client_account (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
