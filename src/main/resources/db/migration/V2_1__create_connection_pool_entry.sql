-- Groups and org units whose members form a connection's pool (when it is not "all users").
CREATE TABLE connection_pool_entry (
    msp_id        BINARY(16)   NOT NULL,
    connection_id BINARY(16)   NOT NULL,
    kind          VARCHAR(12)  NOT NULL,
    value         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    PRIMARY KEY (msp_id, connection_id, kind, value)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
