-- Contract invoices are collected like monthly invoices: billing_payment now holds the payment state of both, so
-- the charger, the arrears and the "suspension recommended" notice treat them alike. invoice_source names the
-- table of invoice_id: MONTHLY = billing_invoice, CONTRACT = billing_contract_invoice. (Numbered 4.5 although it
-- changes a V3 table: databases that already ran 4.4 would refuse a new 3.x migration as out of order.)
ALTER TABLE billing_payment ADD COLUMN invoice_source VARCHAR(16) NOT NULL DEFAULT 'MONTHLY' AFTER invoice_id;

-- Contract invoices issued before this migration were never collected: they are outstanding from their issue
-- date (nothing is lost; with a payment processor configured they are charged once a payment method is on file).
-- The idempotency key has the form the charger uses: usersync-inv-<invoice uuid>-<generation>.
INSERT INTO billing_payment (msp_id, invoice_id, invoice_source, status, amount_minor, currency, issued_at,
                             key_generation, idempotency_key, attempts)
SELECT i.msp_id, i.id, 'CONTRACT', CASE WHEN i.total_minor > 0 THEN 'OUTSTANDING' ELSE 'NOTHING_DUE' END,
       i.total_minor, i.currency, i.issued_at, 0,
       CONCAT('usersync-inv-', LOWER(CONCAT_WS('-', HEX(SUBSTRING(i.id, 1, 4)), HEX(SUBSTRING(i.id, 5, 2)),
           HEX(SUBSTRING(i.id, 7, 2)), HEX(SUBSTRING(i.id, 9, 2)), HEX(SUBSTRING(i.id, 11, 6)))), '-0'), 0
FROM billing_contract_invoice i;
