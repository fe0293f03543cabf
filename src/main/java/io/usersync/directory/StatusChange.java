package io.usersync.directory;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A change of a user's billable-active state, as recorded in the history and sent to billing.
 *
 * @param oldActive null when the user did not exist before (creation)
 * @param syncRunId the sync run that made the change, for cause {@code SYNC}
 */
public record StatusChange(UUID eventId, UUID mspId, UUID clientId, UUID userId, Boolean oldActive,
        boolean newActive, ChangeCause cause, String actor, UUID syncRunId, Instant occurredAt) {

    public StatusChange {
        Objects.requireNonNull(eventId);
        Objects.requireNonNull(mspId);
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(cause);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(occurredAt);
    }
}
