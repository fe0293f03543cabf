package io.usersync.tenant.access;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * The wire form of an API key and its stored hash. A key reads {@code usk_} + the key id (16 bytes) + a secret of
 * 32 random bytes, both base64url without padding: {@code usk_} and 65 characters, no separators, so it is
 * selected as one word and recognised by secret scanners. The id is public (it is the key's id in the API); the
 * secret has 256 bits of entropy, so a plain SHA-256 (over a domain prefix, the id and the secret) is as good as
 * a slow password hash here and cheap enough for every request. Comparison is constant-time.
 */
public final class ApiKeySecret {

    public static final String PREFIX = "usk_";
    static final int ID_CHARS = 22;
    static final int SECRET_CHARS = 43;
    static final int LENGTH = PREFIX.length() + ID_CHARS + SECRET_CHARS;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DOMAIN = "usersync/api-key/v1|".getBytes(StandardCharsets.US_ASCII);

    /** A presented key, split into its id and secret. */
    public record Presented(UUID id, byte[] secret) {
    }

    private ApiKeySecret() {
    }

    /** Whether a bearer value looks like an API key at all (and so is not a JWT). */
    public static boolean looksLikeApiKey(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    /** A new secret for the key id, in its wire form. */
    static String newKey(UUID id) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + b64(bytes(id)) + b64(secret);
    }

    /** The id and secret of a well-formed key, or null. */
    public static Presented parse(String key) {
        if (key == null || key.length() != LENGTH || !key.startsWith(PREFIX)) {
            return null;
        }
        String body = key.substring(PREFIX.length());
        if (!body.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_')) {
            return null;
        }
        try {
            byte[] id = Base64.getUrlDecoder().decode(body.substring(0, ID_CHARS));
            byte[] secret = Base64.getUrlDecoder().decode(body.substring(ID_CHARS));
            if (id.length != 16 || secret.length != 32 || !b64(id).equals(body.substring(0, ID_CHARS))
                    || !b64(secret).equals(body.substring(ID_CHARS))) {
                return null; // non-canonical trailing bits
            }
            ByteBuffer buffer = ByteBuffer.wrap(id);
            return new Presented(new UUID(buffer.getLong(), buffer.getLong()), secret);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The stored hash of a key's secret. */
    static byte[] hash(UUID id, byte[] secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(DOMAIN);
            digest.update(bytes(id));
            return digest.digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    static boolean matches(Presented presented, byte[] storedHash) {
        return MessageDigest.isEqual(hash(presented.id(), presented.secret()), storedHash);
    }

    /** The public, displayable start of a key: its prefix and id. */
    public static String displayPrefix(UUID id) {
        return PREFIX + b64(bytes(id));
    }

    /** The displayable start of a presented key (never its secret). */
    public static String displayPrefixOf(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + ID_CHARS));
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
