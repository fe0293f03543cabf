package io.usersync.billing.api;

/**
 * How a licence plan's amount is consumed.
 * <ul>
 * <li>{@code SEATS}: the amount is a number of seats; a user's first login in the plan takes a seat, held until
 * the user is deactivated (a reactivated user takes a seat again at their next login).</li>
 * <li>{@code MAU}: the amount is a number of monthly active users; each UTC calendar month counts the unique
 * users with at least one login, from zero.</li>
 * <li>{@code MAUC}: the amount is an annual pool of credits; a user's first login in a month consumes one
 * credit; what a month leaves unused stays available (rolls over) until the plan ends, when it expires.</li>
 * </ul>
 */
public enum LicencePlanType {
    SEATS, MAU, MAUC
}
