-- Licence plans (SEATS, MAU, MAUC) of client accounts: [starts_at, ends_at) in UTC, exactly one year unless
-- the plan is a pilot (shorter, hidden from client admins). The windows of one client account never overlap;
-- the service checks that under the client account's row lock.
CREATE TABLE billing_licence_plan (
    id         BINARY(16)   NOT NULL,
    msp_id     BINARY(16)   NOT NULL,
    client_id  BINARY(16)   NOT NULL,
    plan_type  VARCHAR(8)   NOT NULL,
    amount     BIGINT       NOT NULL,
    starts_at  DATETIME(6)  NOT NULL,
    ends_at    DATETIME(6)  NOT NULL,
    pilot      BOOLEAN      NOT NULL,
    created_by VARCHAR(200) NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_billing_licence_plan_tenant (msp_id, id),
    KEY ix_billing_licence_plan_client (msp_id, client_id, starts_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
