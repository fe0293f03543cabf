package io.usersync.billing.api;

import java.time.Instant;

/** A peak of simultaneously billable users and the earliest instant it was reached. */
public record Peak(long users, Instant at) {
}
