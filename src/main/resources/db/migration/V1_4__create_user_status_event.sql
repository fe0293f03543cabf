-- Append-only history of every change to a user's billable-active state (and of deletions). Written in the
-- same transaction as the change; the id is the permanent event id billing deduplicates on.
CREATE TABLE user_status_event (
    id          BINARY(16)   NOT NULL,
    msp_id      BINARY(16)   NOT NULL,
    client_id   BINARY(16)   NOT NULL,
    user_id     BINARY(16)   NOT NULL,
    old_active  BOOLEAN      NULL,
    new_active  BOOLEAN      NOT NULL,
    cause       VARCHAR(8)   NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    sync_run_id BINARY(16)   NULL,
    occurred_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_user_status_event_tenant (msp_id, id),
    KEY ix_user_status_event_user (msp_id, client_id, user_id, occurred_at),
    KEY ix_user_status_event_client (msp_id, client_id, occurred_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
