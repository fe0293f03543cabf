-- Latest known state of each client account as billing sees it (from CLIENT_STATE events), for the live view,
-- and its billable users after every applied change (current_count, kept by the ledger in the same transaction).
CREATE TABLE billing_client (
    msp_id        BINARY(16)  NOT NULL,
    client_id     BINARY(16)  NOT NULL,
    status        VARCHAR(16) NOT NULL,
    billing_model VARCHAR(16) NOT NULL,
    deleted       BOOLEAN     NOT NULL,
    billable      BOOLEAN     NOT NULL,
    state_at      DATETIME(6) NOT NULL,
    current_count BIGINT      NOT NULL DEFAULT 0,
    PRIMARY KEY (msp_id, client_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
