package io.usersync.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.webhook.SampleVerifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureTest {

    @Test
    void matchesTheStandardWebhooksReferenceVector() {
        // the test vector of the Standard Webhooks reference libraries
        byte[] key = Signature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Signature.header(
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
                List.of(key)));
    }

    @Test
    void secretsRoundTripAndSignWithEveryKeyInForce() throws Exception {
        byte[] current = Signature.newKey();
        byte[] previous = Signature.newKey();
        assertEquals(Signature.KEY_BYTES, current.length);
        String secret = Signature.secret(current);
        assertTrue(secret.startsWith("whsec_"));
        assertArrayEquals(current, Signature.key(secret));
        byte[] body = "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String header = Signature.header("id-1", 1700000000, body, List.of(current, previous));
        assertEquals(2, header.split(" ").length);
        assertTrue(SampleVerifier.verify(secret, "id-1", "1700000000", header, body, 1700000000));
        assertTrue(SampleVerifier.verify(Signature.secret(previous), "id-1", "1700000000", header, body, 1700000010));
        assertFalse(SampleVerifier.verify(Signature.secret(Signature.newKey()), "id-1", "1700000000", header, body,
                1700000000));
        // the id, the timestamp and every byte of the body are signed
        assertFalse(SampleVerifier.verify(secret, "id-2", "1700000000", header, body, 1700000000));
        assertFalse(SampleVerifier.verify(secret, "id-1", "1700000001", header, body, 1700000000));
        assertFalse(SampleVerifier.verify(secret, "id-1", "1700000000", header,
                "{\"type\":\"y\"}".getBytes(StandardCharsets.UTF_8), 1700000000));
        // and a stale timestamp is refused by the verifier
        assertFalse(SampleVerifier.verify(secret, "id-1", "1700000000", header, body, 1700000000 + 301));
    }
}
