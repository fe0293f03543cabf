-- Hourly summaries of the billable-count step function, MSP-wide and per client, so a period's exact peak is a
-- read of at most ~744 rows instead of a scan of its events. For a bucket [bucket_start, +1h):
--   base        billable count just before bucket_start (sum of every earlier change)
--   net         sum of the changes inside the bucket
--   start_delta net change at exactly bucket_start
--   max_rel / max_at   highest running sum (relative to base) after an instant with a non-zero net change, and
--               the earliest such instant; first_at / last_at the first and last of those instants
--   newcomers   intervals starting in the bucket flagged newcomer (distinct-user counting)
CREATE TABLE billing_bucket (
    msp_id       BINARY(16)  NOT NULL,
    bucket_start DATETIME(6) NOT NULL,
    base         BIGINT      NOT NULL,
    net          BIGINT      NOT NULL,
    start_delta  BIGINT      NOT NULL,
    max_rel      BIGINT      NULL,
    max_at       DATETIME(6) NULL,
    first_at     DATETIME(6) NULL,
    last_at      DATETIME(6) NULL,
    newcomers    BIGINT      NOT NULL,
    PRIMARY KEY (msp_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE billing_client_bucket (
    msp_id       BINARY(16)  NOT NULL,
    client_id    BINARY(16)  NOT NULL,
    bucket_start DATETIME(6) NOT NULL,
    base         BIGINT      NOT NULL,
    net          BIGINT      NOT NULL,
    start_delta  BIGINT      NOT NULL,
    max_rel      BIGINT      NULL,
    max_at       DATETIME(6) NULL,
    first_at     DATETIME(6) NULL,
    last_at      DATETIME(6) NULL,
    newcomers    BIGINT      NOT NULL,
    PRIMARY KEY (msp_id, client_id, bucket_start),
    KEY ix_billing_client_bucket_time (msp_id, bucket_start)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
