-- Versioned price books per MSP. A new version is effective from its effective_from instant; an invoice uses the
-- version in force at its period end (or the configured default when the MSP has none). Unit prices are exact
-- decimals in major currency units.
CREATE TABLE billing_price_book (
    msp_id         BINARY(16)   NOT NULL,
    version        INT          NOT NULL,
    effective_from DATETIME(6)  NOT NULL,
    currency       CHAR(3)      NOT NULL,
    pricing_mode   VARCHAR(16)  NOT NULL,
    created_by     VARCHAR(200) NOT NULL,
    created_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (msp_id, version),
    KEY ix_billing_price_book_effective (msp_id, effective_from)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE billing_price_band (
    msp_id     BINARY(16)     NOT NULL,
    version    INT            NOT NULL,
    from_users INT            NOT NULL,
    unit_price DECIMAL(19, 6) NOT NULL,
    PRIMARY KEY (msp_id, version, from_users)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
