package io.usersync.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.usersync.common.crypto.CryptoConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private static final String KEY_1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef"
            .getBytes(StandardCharsets.US_ASCII));

    private final UUID msp = UUID.randomUUID();
    private final UUID client = UUID.randomUUID();
    private final UUID connection = UUID.randomUUID();

    @Test
    void roundTripsAndHidesThePlaintext() {
        CredentialCipher cipher = cipher("k1", Map.of("k1", KEY_1));
        CredentialCipher.Sealed sealed = cipher.seal("{\"clientSecret\":\"s3cr3t\"}", msp, client, connection, "M365");
        assertEquals("k1", sealed.keyId());
        assertFalse(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1).contains("s3cr3t"));
        assertEquals("{\"clientSecret\":\"s3cr3t\"}", cipher.open(sealed, msp, client, connection, "M365"));
    }

    @Test
    void ciphertextIsBoundToItsTenantAndConnection() {
        CredentialCipher cipher = cipher("k1", Map.of("k1", KEY_1));
        CredentialCipher.Sealed sealed = cipher.seal("secret", msp, client, connection, "M365");
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, UUID.randomUUID(), client, connection,
                "M365"));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, msp, client, UUID.randomUUID(), "M365"));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, msp, client, connection, "GOOGLE"));
    }

    @Test
    void rotationKeepsOldCiphertextsReadable() {
        CredentialCipher before = cipher("k1", Map.of("k1", KEY_1));
        CredentialCipher.Sealed old = before.seal("secret", msp, client, connection, "M365");
        CredentialCipher after = cipher("k2", Map.of("k1", KEY_1, "k2", KEY_2));
        assertEquals("secret", after.open(old, msp, client, connection, "M365"));
        assertEquals("k2", after.seal("x", msp, client, connection, "M365").keyId());
        CredentialCipher withoutOldKey = cipher("k2", Map.of("k2", KEY_2));
        assertThrows(IllegalStateException.class, () -> withoutOldKey.open(old, msp, client, connection, "M365"));
    }

    @Test
    void refusesWrongKeySizes() {
        assertThrows(IllegalStateException.class, () -> cipher("k", Map.of("k",
                Base64.getEncoder().encodeToString(new byte[16]))));
        assertThrows(IllegalStateException.class, () -> cipher("missing", Map.of("k", KEY_1)));
    }

    private static CredentialCipher cipher(String active, Map<String, String> keys) {
        return new CredentialCipher(new CryptoConfig() {
            @Override
            public String activeKeyId() {
                return active;
            }

            @Override
            public String keys() {
                return keys.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(","));
            }
        });
    }
}
