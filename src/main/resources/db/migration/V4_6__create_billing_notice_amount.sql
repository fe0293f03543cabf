-- What a notice reports as outstanding, per currency: invoices of one MSP can be in several currencies (a price
-- book currency change, contract invoices in the price list's currency), and amounts of different currencies are
-- never added up. billing_notice.outstanding_minor/currency keep the total in the oldest invoice's currency.
CREATE TABLE billing_notice_amount (
    msp_id            BINARY(16) NOT NULL,
    notice_id         BINARY(16) NOT NULL,
    currency          CHAR(3)    NOT NULL,
    outstanding_minor BIGINT     NOT NULL,
    PRIMARY KEY (msp_id, notice_id, currency)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Notices raised before this migration recorded one currency only; that is what they report.
INSERT INTO billing_notice_amount (msp_id, notice_id, currency, outstanding_minor)
SELECT msp_id, id, currency, outstanding_minor FROM billing_notice;
