-- Service providers. The row id is the tenant id every other table carries as msp_id.
CREATE TABLE msp (
    id                     BINARY(16)   NOT NULL,
    name                   VARCHAR(200) NOT NULL,
    created_at             DATETIME(6)  NOT NULL,
    payment_method_on_file BOOLEAN      NOT NULL DEFAULT FALSE,
    version                BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
