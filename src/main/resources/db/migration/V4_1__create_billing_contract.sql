-- Annual contracts of client accounts on the ANNUAL billing model. Dates are UTC calendar dates, the end date
-- exclusive. The prices and discounts of the price list are copied when the contract is made, so a later
-- price-list change never alters it; a feature price is null when the feature is not selected.
CREATE TABLE billing_contract (
    id                     BINARY(16)   NOT NULL,
    msp_id                 BINARY(16)   NOT NULL,
    client_id              BINARY(16)   NOT NULL,
    start_date             DATE         NOT NULL,
    end_date               DATE         NOT NULL,
    term_years             INT          NOT NULL,
    blocks                 INT          NOT NULL,
    currency               CHAR(3)      NOT NULL,
    base_price_minor       BIGINT       NOT NULL,
    ulearn_price_minor     BIGINT       NULL,
    uphish_price_minor     BIGINT       NULL,
    ubreach_price_minor    BIGINT       NULL,
    upolicy_price_minor    BIGINT       NULL,
    multi_year_discount_bp INT          NOT NULL,
    sector                 VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NULL,
    sector_discount_bp     INT          NOT NULL,
    renewal_of             BINARY(16)   NULL,
    created_by             VARCHAR(200) NOT NULL,
    created_at             DATETIME(6)  NOT NULL,
    updated_at             DATETIME(6)  NOT NULL,
    version                BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_contract_tenant (msp_id, id),
    KEY ix_billing_contract_client (msp_id, client_id, start_date),
    KEY ix_billing_contract_dates (start_date, end_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
