package io.usersync.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Identifier generation. Every row id and every event id is a UUID version 7 (RFC 9562): time-ordered, so
 * index inserts stay append-mostly and cursor pagination by id follows creation order, and globally unique,
 * so an event id is a permanent idempotency key.
 */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** A new UUIDv7 using the wall clock's milliseconds. */
    public static UUID newId() {
        return newId(System.currentTimeMillis());
    }

    static UUID newId(long epochMillis) {
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (epochMillis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /**
     * Parses an id from the wire; returns null when the text is not a canonical UUID so callers can answer
     * with a clear error rather than an exception trace.
     */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
