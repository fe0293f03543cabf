package io.usersync.webhook.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks symmetric signatures: {@code webhook-signature} is a space-separated list of
 * {@code v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>}, one per secret in force (two
 * during a rotation's overlap); secrets are shown as {@code whsec_<base64 of the key>}.
 */
public final class Signature {

    /** Bytes of a new signing key (the specification asks for 24 to 64). */
    public static final int KEY_BYTES = 32;
    public static final String SECRET_PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Signature() {
    }

    /** A new random signing key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** How a key is shown to its tenant (once). */
    public static String secret(byte[] key) {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key of a {@code whsec_} secret. */
    public static byte[] key(String secret) {
        String base64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(base64);
    }

    /** The {@code webhook-signature} header value: one {@code v1} signature per key, in the order given. */
    public static String header(String webhookId, long timestamp, byte[] body, List<byte[]> keys) {
        StringJoiner header = new StringJoiner(" ");
        for (byte[] key : keys) {
            header.add("v1," + Base64.getEncoder().encodeToString(hmac(key, webhookId, timestamp, body)));
        }
        return header.toString();
    }

    static byte[] hmac(byte[] key, String webhookId, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
