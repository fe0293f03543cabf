package io.usersync.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verification as a tenant would write it from the README (no usersync code): HMAC-SHA256 with the key behind
 * {@code whsec_}, over {@code id.timestamp.body}, compared in constant time against each {@code v1,} signature of
 * the header, and a timestamp within five minutes of the receiver's clock.
 */
public final class SampleVerifier {

    private SampleVerifier() {
    }

    public static boolean verify(String secret, String id, String timestamp, String signatures, byte[] body,
            long nowEpochSeconds) throws Exception {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        if (Math.abs(nowEpochSeconds - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }
}
