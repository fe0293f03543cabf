-- The annual price list of an MSP for client contracts, managed by operators. An MSP without a row uses the
-- configured defaults (usersync.billing.contracts.default-price-list.*). Prices are integer minor units of the
-- currency per user and contract year; discounts are basis points (1/100 of a percent).
CREATE TABLE billing_contract_price_list (
    msp_id                 BINARY(16)   NOT NULL,
    currency               CHAR(3)      NOT NULL,
    base_price_minor       BIGINT       NOT NULL,
    ulearn_price_minor     BIGINT       NOT NULL,
    uphish_price_minor     BIGINT       NOT NULL,
    ubreach_price_minor    BIGINT       NOT NULL,
    upolicy_price_minor    BIGINT       NOT NULL,
    two_year_discount_bp   INT          NOT NULL,
    three_year_discount_bp INT          NOT NULL,
    updated_by             VARCHAR(200) NOT NULL,
    updated_at             DATETIME(6)  NOT NULL,
    version                BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (msp_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Sector discounts of a price list (e.g. CHARITY): a contract naming the sector gets the discount.
CREATE TABLE billing_contract_sector_discount (
    msp_id      BINARY(16)  NOT NULL,
    sector      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    discount_bp INT         NOT NULL,
    PRIMARY KEY (msp_id, sector)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
