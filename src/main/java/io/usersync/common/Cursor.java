package io.usersync.common;

import io.usersync.common.error.DomainException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque pagination cursors. A cursor names the last id of the previous page; listings are ordered by id, which
 * is time-ordered (UUIDv7), so pages are stable under concurrent inserts.
 */
public final class Cursor {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private Cursor() {
    }

    public static String encode(UUID lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from the query string; null means "first page". */
    public static UUID decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > 100) {
                throw new IllegalArgumentException();
            }
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("v1:")) {
                throw new IllegalArgumentException();
            }
            UUID id = Ids.parseOrNull(text.substring(3));
            if (id == null) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("cursor", "is not a cursor returned by this API");
        }
    }

    /** Validates a page size given as text. */
    public static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal below
        }
        throw DomainException.invalidField("limit", "must be an integer from 1 to " + MAX_LIMIT);
    }
}
