-- Append-only record of every status / billing-model change of a client account, with time and actor.
CREATE TABLE client_status_change (
    id                 BINARY(16)   NOT NULL,
    msp_id             BINARY(16)   NOT NULL,
    client_id          BINARY(16)   NOT NULL,
    kind               VARCHAR(16)  NOT NULL,
    old_status         VARCHAR(16)  NULL,
    new_status         VARCHAR(16)  NOT NULL,
    old_billing_model  VARCHAR(16)  NULL,
    new_billing_model  VARCHAR(16)  NOT NULL,
    actor              VARCHAR(200) NOT NULL,
    occurred_at        DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_client_status_change_tenant (msp_id, id),
    KEY ix_client_status_change_client (msp_id, client_id, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
