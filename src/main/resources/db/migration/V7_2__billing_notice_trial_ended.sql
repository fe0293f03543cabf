-- Billing notices about a client account: TRIAL_ENDED (the account's trial reached its end). They carry no
-- invoice or amount, so those columns become optional; dedup_key makes raising the notice for one trial end
-- idempotent across replicas and job runs (NULL for notices that use open_marker instead).
ALTER TABLE billing_notice
    MODIFY oldest_invoice_id BINARY(16)   NULL,
    MODIFY outstanding_since DATETIME(6)  NULL,
    MODIFY outstanding_minor BIGINT       NULL,
    MODIFY currency          CHAR(3)      NULL,
    ADD COLUMN client_id      BINARY(16)   NULL,
    ADD COLUMN trial_ended_at DATETIME(6)  NULL,
    ADD COLUMN detail         VARCHAR(300) NULL,
    ADD COLUMN dedup_key      VARCHAR(100) NULL,
    ADD UNIQUE KEY uk_billing_notice_dedup (msp_id, dedup_key);
