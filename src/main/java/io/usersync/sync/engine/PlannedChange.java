package io.usersync.sync.engine;

import java.util.UUID;

/**
 * One row of a run's plan. Identity fields are set for CREATE and UPDATE; the snapshot ({@code inPool},
 * {@code aliases}, {@code fingerprint}) is set on the rows that carry the connection's new view of the directory
 * user and is written to {@code sync_member} when the row is applied.
 */
public record PlannedChange(int seq, ChangeKind kind, UUID userId, String externalId, String email,
        String emailKey, String firstName, String lastName, String detail, Boolean inPool, String aliases,
        Long fingerprint, ChangeOutcome outcome) {

    public PlannedChange withSnapshot(boolean newInPool, String newAliases, long newFingerprint) {
        return new PlannedChange(seq, kind, userId, externalId, email, emailKey, firstName, lastName, detail,
                newInPool, newAliases, newFingerprint, outcome);
    }

    public boolean hasSnapshot() {
        return inPool != null;
    }
}
