-- Invoices of annual contracts: the up-front invoice of the whole term (INITIAL) and one per mid-term upgrade
-- (UPGRADE). Amounts are integer minor units of the contract currency; the total is the sum of the lines.
CREATE TABLE billing_contract_invoice (
    id             BINARY(16)  NOT NULL,
    msp_id         BINARY(16)  NOT NULL,
    client_id      BINARY(16)  NOT NULL,
    contract_id    BINARY(16)  NOT NULL,
    kind           VARCHAR(16) NOT NULL,
    issued_at      DATETIME(6) NOT NULL,
    currency       CHAR(3)     NOT NULL,
    total_minor    BIGINT      NOT NULL,
    blocks_before  INT         NULL,
    blocks_after   INT         NOT NULL,
    effective_date DATE        NOT NULL,
    covers_until   DATE        NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_contract_invoice_tenant (msp_id, id),
    KEY ix_billing_contract_invoice_contract (msp_id, contract_id, issued_at),
    CONSTRAINT fk_billing_contract_invoice_contract FOREIGN KEY (contract_id) REFERENCES billing_contract (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Lines of a contract invoice, in order. unit_price_minor may have decimals (a discounted per-user price);
-- amount_minor is always whole minor units, rounded as documented on ContractPricing.
CREATE TABLE billing_contract_invoice_line (
    id               BINARY(16)     NOT NULL,
    msp_id           BINARY(16)     NOT NULL,
    invoice_id       BINARY(16)     NOT NULL,
    line_no          INT            NOT NULL,
    kind             VARCHAR(32)    NOT NULL,
    feature          VARCHAR(16)    NULL,
    description      VARCHAR(300)   NOT NULL,
    quantity         BIGINT         NULL,
    unit_price_minor DECIMAL(24, 6) NULL,
    years            INT            NULL,
    days             INT            NULL,
    days_in_year     INT            NULL,
    percent_bp       INT            NULL,
    amount_minor     BIGINT         NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_contract_invoice_line (msp_id, invoice_id, line_no),
    CONSTRAINT fk_billing_contract_invoice_line_invoice FOREIGN KEY (invoice_id)
        REFERENCES billing_contract_invoice (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
