-- Billing's own view of an MSP, created from its MSP_CREATED event (billing never reads the msp table).
-- anchor_date is the UTC date of creation: period n = [anchor + n months, anchor + n+1 months), clamped to month
-- ends and always computed from the anchor. next_period_index / next_close_at name the first period without an
-- invoice and its end, so the closing job finds due MSPs with one index range scan. ledger_version grows with
-- every committed change the live usage shows (events applied, invoices issued, payments, notices), so replicas
-- can cache the computed live usage until it moves.
CREATE TABLE billing_account (
    msp_id                 BINARY(16)  NOT NULL,
    created_at             DATETIME(6) NOT NULL,
    anchor_date            DATE        NOT NULL,
    payment_method_on_file BOOLEAN     NOT NULL,
    payment_method_at      DATETIME(6) NOT NULL,
    payment_method_seq     BIGINT      NOT NULL,
    next_period_index      INT         NOT NULL,
    next_close_at          DATETIME(6) NOT NULL,
    ledger_version         BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (msp_id),
    KEY ix_billing_account_close (next_close_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
