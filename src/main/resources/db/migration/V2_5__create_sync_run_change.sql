-- The per-user plan of a run and, once applied, the outcome of each row. A held run is approved by applying
-- exactly these rows. in_pool / aliases / fingerprint are the connection's new view of the directory user
-- (written to sync_member when the row is applied).
CREATE TABLE sync_run_change (
    msp_id      BINARY(16)   NOT NULL,
    run_id      BINARY(16)   NOT NULL,
    seq         INT          NOT NULL,
    kind        VARCHAR(12)  NOT NULL,
    user_id     BINARY(16)   NULL,
    external_id VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    email       VARCHAR(254) NULL,
    email_key   VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    first_name  VARCHAR(100) NULL,
    last_name   VARCHAR(100) NULL,
    detail      VARCHAR(500) NULL,
    in_pool     BOOLEAN      NULL,
    aliases     TEXT         CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    fingerprint BIGINT       NULL,
    outcome     VARCHAR(12)  NULL,
    PRIMARY KEY (msp_id, run_id, seq),
    KEY ix_sync_run_change_kind (msp_id, run_id, kind)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
