package io.usersync.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.usersync.directory.ChangeCause;
import io.usersync.directory.User;
import io.usersync.directory.UserSource;
import io.usersync.directory.UserStatusEvent;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of user endpoints. */
public final class UserDtos {

    private UserDtos() {
    }

    /** {@code active} defaults to true and {@code admin} to false. */
    public record CreateUser(@NotNull String firstName, @NotNull String lastName, @NotNull String email,
            Boolean active, Boolean admin) {
    }

    /** Absent members are left unchanged. */
    public record UpdateUser(String firstName, String lastName, String email) {
    }

    public record ChangeRole(@NotNull Boolean admin) {
    }

    /**
     * A user. {@code notice} appears when the change will not stick, e.g. a synced user deactivated by hand.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserView(UUID id, UUID clientId, String firstName, String lastName, String email, boolean active,
            boolean admin, UserSource source, String externalId, Instant createdAt, Instant updatedAt,
            String notice) {
        public static UserView of(User u) {
            return of(u, null);
        }

        public static UserView of(User u, String notice) {
            return new UserView(u.id, u.clientId, u.firstName, u.lastName, u.email, u.active, u.admin, u.source,
                    u.externalId, u.createdAt, u.updatedAt, notice);
        }
    }

    /** A page of users with the client account's "Total Active Users" figure. */
    public record UserPage(List<UserView> items, String nextCursor, long totalActive) {
    }

    public record StatusEventView(UUID id, UUID userId, Boolean oldActive, boolean newActive, ChangeCause cause,
            String actor, UUID syncRunId, Instant occurredAt) {
        public static StatusEventView of(UserStatusEvent e) {
            return new StatusEventView(e.id, e.userId, e.oldActive, e.newActive, e.cause, e.actor, e.syncRunId,
                    e.occurredAt);
        }
    }
}
