-- The invoice closer's watermark asks "is any event of this MSP dated before the period end still unconsumed?".
CREATE INDEX ix_outbox_msp_occurred ON outbox (msp_id, occurred_at);
