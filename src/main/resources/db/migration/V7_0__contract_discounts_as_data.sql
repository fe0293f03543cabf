-- The discounts of a contract as data: a list of named discounts with exact rates (percent, at most four
-- decimals), compounded in position order. Replaces the two fixed columns (multi-year and sector discount in
-- basis points), which could not express e.g. a multi-year discount granted on a 1-year term.
CREATE TABLE billing_contract_discount (
    msp_id      BINARY(16)    NOT NULL,
    contract_id BINARY(16)    NOT NULL,
    position    INT           NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    name        VARCHAR(60)   NOT NULL,
    percent     DECIMAL(7, 4) NOT NULL,
    PRIMARY KEY (msp_id, contract_id, position),
    CONSTRAINT fk_billing_contract_discount_contract FOREIGN KEY (contract_id) REFERENCES billing_contract (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO billing_contract_discount (msp_id, contract_id, position, kind, name, percent)
SELECT msp_id, id, 1, 'MULTI_YEAR', CONCAT(term_years, '-year term'), multi_year_discount_bp / 100
  FROM billing_contract WHERE multi_year_discount_bp > 0;

INSERT INTO billing_contract_discount (msp_id, contract_id, position, kind, name, percent)
SELECT msp_id, id, 2, 'SECTOR', sector, sector_discount_bp / 100
  FROM billing_contract WHERE sector IS NOT NULL AND sector_discount_bp > 0;

ALTER TABLE billing_contract DROP COLUMN multi_year_discount_bp, DROP COLUMN sector, DROP COLUMN sector_discount_bp;

-- Invoice lines show a discount's exact rate.
ALTER TABLE billing_contract_invoice_line ADD COLUMN percent DECIMAL(7, 4) NULL;
UPDATE billing_contract_invoice_line SET percent = percent_bp / 100 WHERE percent_bp IS NOT NULL;
ALTER TABLE billing_contract_invoice_line DROP COLUMN percent_bp;
