-- A connection's deny list: exact addresses (lower-cased, ASCII domain) and whole domains (*@example.com).
CREATE TABLE deny_entry (
    id            BINARY(16)   NOT NULL,
    msp_id        BINARY(16)   NOT NULL,
    connection_id BINARY(16)   NOT NULL,
    kind          VARCHAR(8)   NOT NULL,
    value_key     VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created_by    VARCHAR(200) NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_deny_entry_value (msp_id, connection_id, kind, value_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
