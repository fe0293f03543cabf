-- The connection's last known view of each directory user it has seen: whether they are in the pool, their
-- aliases (so a deny-list change takes effect without a provider fetch) and a fingerprint of the synced
-- fields (so an unchanged user costs no write).
CREATE TABLE sync_member (
    msp_id        BINARY(16)   NOT NULL,
    connection_id BINARY(16)   NOT NULL,
    external_id   VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    user_id       BINARY(16)   NULL,
    in_pool       BOOLEAN      NOT NULL,
    email_key     VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    aliases       TEXT         CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    fingerprint   BIGINT       NOT NULL,
    PRIMARY KEY (msp_id, connection_id, external_id),
    KEY ix_sync_member_user (msp_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
