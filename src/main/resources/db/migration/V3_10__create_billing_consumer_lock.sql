-- The single row every replica's outbox consumer locks (SELECT ... FOR UPDATE SKIP LOCKED) for the duration of
-- one batch transaction, so exactly one logical consumer applies events at a time and per-client order holds.
-- It is process coordination, not tenant data, hence no msp_id. A crashed holder's lock ends with its
-- connection; nothing has to expire.
CREATE TABLE billing_consumer_lock (
    name VARCHAR(32) NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

INSERT INTO billing_consumer_lock (name) VALUES ('outbox');
