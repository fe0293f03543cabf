-- Client accounts of an MSP. Deletion is soft (deleted_at) so history and billing keep their references.
CREATE TABLE client_account (
    id            BINARY(16)   NOT NULL,
    msp_id        BINARY(16)   NOT NULL,
    name          VARCHAR(200) NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    billing_model VARCHAR(16)  NOT NULL,
    user_limit    INT          NULL,
    created_at    DATETIME(6)  NOT NULL,
    deleted_at    DATETIME(6)  NULL,
    version       BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_client_account_tenant (msp_id, id),
    CONSTRAINT fk_client_account_msp FOREIGN KEY (msp_id) REFERENCES msp (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
