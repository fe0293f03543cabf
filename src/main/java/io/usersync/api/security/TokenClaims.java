package io.usersync.api.security;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Reads a claim of a verified token by path ({@code realm_access/roles}), whatever shape smallrye-jwt hands it
 * out in (Java strings and collections for the standard claims, JSON-P values for the others).
 */
final class TokenClaims {

    private TokenClaims() {
    }

    /**
     * The value at the path, or null: a JSON-P value, a string, a number or a collection. A claim named exactly
     * like the path comes first (Auth0's namespaced claims are URLs).
     */
    static Object at(JsonWebToken token, String path) {
        Object whole = token.getClaim(path);
        if (whole != null && whole != JsonValue.NULL) {
            return whole;
        }
        String[] steps = path.split("/");
        Object value = token.getClaim(steps[0]);
        for (int i = 1; i < steps.length && value != null; i++) {
            if (value instanceof JsonObject object) {
                value = object.get(steps[i]);
            } else if (value instanceof Map<?, ?> map) {
                value = map.get(steps[i]);
            } else {
                return null;
            }
        }
        return value == JsonValue.NULL ? null : value;
    }

    /** The strings at the path: an array's string entries, or one string split at spaces and commas. */
    static List<String> strings(JsonWebToken token, String path) {
        Object value = at(token, path);
        List<String> result = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue entry : array) {
                if (entry instanceof JsonString s) {
                    result.add(s.getString());
                }
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object entry : collection) {
                String text = text(entry);
                if (text != null) {
                    result.add(text);
                }
            }
        } else {
            String text = text(value);
            if (text != null) {
                for (String part : text.split("[\\s,]+")) {
                    if (!part.isEmpty()) {
                        result.add(part);
                    }
                }
            }
        }
        return result;
    }

    /** The value at the path as one string (a JSON string without its quotes), or null when it is not one. */
    static String string(JsonWebToken token, String path) {
        return text(at(token, path));
    }

    /** The value at the path as a number of seconds ({@code iat}, {@code exp}), or null. */
    static Long seconds(JsonWebToken token, String claim) {
        Object value = token.getClaim(claim);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof JsonNumber n) {
            return n.longValue();
        }
        return null;
    }

    private static String text(Object value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value instanceof String s) {
            return s;
        }
        return null;
    }
}
