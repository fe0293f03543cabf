-- Payment state of each invoice (the invoice itself stays immutable) and the log of charge attempts. Every
-- attempt sends idempotency_key, so a retry after a lost or failed answer never charges twice; only a definite
-- decline (nothing was charged) moves to the next key generation, so a new card is really tried.
CREATE TABLE billing_payment (
    msp_id          BINARY(16)   NOT NULL,
    invoice_id      BINARY(16)   NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    amount_minor    BIGINT       NOT NULL,
    currency        CHAR(3)      NOT NULL,
    issued_at       DATETIME(6)  NOT NULL,
    key_generation  INT          NOT NULL,
    idempotency_key VARCHAR(80)  NOT NULL,
    attempts        INT          NOT NULL,
    last_attempt_at DATETIME(6)  NULL,
    last_failure    VARCHAR(500) NULL,
    paid_at         DATETIME(6)  NULL,
    reference       VARCHAR(200) NULL,
    PRIMARY KEY (msp_id, invoice_id),
    UNIQUE KEY uk_billing_payment_key (msp_id, idempotency_key),
    KEY ix_billing_payment_status (status, issued_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE billing_charge_attempt (
    id           BINARY(16)   NOT NULL,
    msp_id       BINARY(16)   NOT NULL,
    invoice_id   BINARY(16)   NOT NULL,
    attempted_at DATETIME(6)  NOT NULL,
    outcome      VARCHAR(16)  NOT NULL,
    reference    VARCHAR(200) NULL,
    failure      VARCHAR(500) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_charge_attempt_tenant (msp_id, id),
    KEY ix_billing_charge_attempt_invoice (msp_id, invoice_id, attempted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
