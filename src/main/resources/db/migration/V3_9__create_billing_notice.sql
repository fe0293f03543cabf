-- Recorded notices about an MSP, e.g. SUSPENSION_RECOMMENDED when invoices stay outstanding too long. A notice
-- is open until cleared; open_marker (TRUE while open, NULL once cleared) keeps at most one open notice per MSP
-- and kind even when replicas race.
CREATE TABLE billing_notice (
    id                  BINARY(16)   NOT NULL,
    msp_id              BINARY(16)   NOT NULL,
    kind                VARCHAR(32)  NOT NULL,
    raised_at           DATETIME(6)  NOT NULL,
    oldest_invoice_id   BINARY(16)   NOT NULL,
    outstanding_since   DATETIME(6)  NOT NULL,
    outstanding_minor   BIGINT       NOT NULL,
    currency            CHAR(3)      NOT NULL,
    cleared_at          DATETIME(6)  NULL,
    open_marker         BOOLEAN      NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_notice_tenant (msp_id, id),
    UNIQUE KEY uk_billing_notice_open (msp_id, kind, open_marker)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
