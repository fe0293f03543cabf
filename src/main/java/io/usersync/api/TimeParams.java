package io.usersync.api;

import io.usersync.common.error.DomainException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing of instants and dates given as text in bodies and query strings, with refusals that name the field. */
final class TimeParams {

    private static final String FORMAT = "an ISO-8601 instant with offset, e.g. 2025-03-01T07:30:00Z or "
            + "2025-02-28T23:30:00-08:00";
    /** The instants the database can store and the service has any use for. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9000-01-01T00:00:00Z");

    private TimeParams() {
    }

    /** An ISO-8601 date-time with offset as an instant; null when absent. */
    static Instant instant(String field, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Instant instant = null;
        try {
            if (text.length() <= 64) {
                instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        if (instant == null) {
            throw DomainException.invalidField(field, "must be " + FORMAT);
        }
        return inRange(field, instant);
    }

    /** Like {@link #instant}, but a bare date ({@code 2025-03-01}) means its start, 00:00 UTC. */
    static Instant instantOrDate(String field, String text) {
        if (text != null && text.length() == 10) {
            try {
                return inRange(field, LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                throw DomainException.invalidField(field, "must be a date (2025-03-01) or " + FORMAT);
            }
        }
        return instant(field, text);
    }

    private static Instant inRange(String field, Instant instant) {
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw DomainException.invalidField(field, "must be from " + EARLIEST + " to before " + LATEST);
        }
        return instant;
    }

    /** An ISO-8601 calendar date ({@code 2025-03-01}); null when absent. */
    static LocalDate date(String field, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            if (text.length() <= 16) {
                return LocalDate.parse(text);
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw DomainException.invalidField(field, "must be an ISO-8601 date such as 2025-03-01");
    }
}
