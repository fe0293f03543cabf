-- Whether what a run read is still current. settings_revision counts changes of what a read returns (pool,
-- guests, credentials); position_revision counts the sync positions (delta token, last full read) stored by
-- applied runs. A run records both when it starts: a held plan whose basis has moved can no longer be approved,
-- and a run during which the settings changed does not store its delta position.
ALTER TABLE directory_connection
    ADD COLUMN settings_revision BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN position_revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sync_run
    ADD COLUMN basis_settings_revision BIGINT NULL,
    ADD COLUMN basis_position_revision BIGINT NULL;
