-- Issued invoices: one per MSP and period (the unique key makes a second closer fail rather than double-bill).
-- Rows are written once and never updated; payment state lives in billing_payment.
CREATE TABLE billing_invoice (
    id                 BINARY(16)  NOT NULL,
    msp_id             BINARY(16)  NOT NULL,
    period_index       INT         NOT NULL,
    period_start       DATETIME(6) NOT NULL,
    period_end         DATETIME(6) NOT NULL,
    issued_at          DATETIME(6) NOT NULL,
    currency           CHAR(3)     NOT NULL,
    pricing_mode       VARCHAR(16) NOT NULL,
    price_book_version INT         NOT NULL,
    peak_users         BIGINT      NOT NULL,
    peak_at            DATETIME(6) NOT NULL,
    users_at_start     BIGINT      NOT NULL,
    distinct_users     BIGINT      NOT NULL,
    total_minor        BIGINT      NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_invoice_period (msp_id, period_index),
    UNIQUE KEY uk_billing_invoice_tenant (msp_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE billing_invoice_line (
    msp_id       BINARY(16)     NOT NULL,
    invoice_id   BINARY(16)     NOT NULL,
    line_no      INT            NOT NULL,
    band_from    INT            NOT NULL,
    band_to      INT            NULL,
    quantity     BIGINT         NOT NULL,
    unit_price   DECIMAL(19, 6) NOT NULL,
    amount_minor BIGINT         NOT NULL,
    PRIMARY KEY (msp_id, invoice_id, line_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE billing_invoice_client (
    msp_id         BINARY(16) NOT NULL,
    invoice_id     BINARY(16) NOT NULL,
    client_id      BINARY(16) NOT NULL,
    users_at_peak  BIGINT     NOT NULL,
    own_peak       BIGINT     NOT NULL,
    distinct_users BIGINT     NOT NULL,
    PRIMARY KEY (msp_id, invoice_id, client_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
