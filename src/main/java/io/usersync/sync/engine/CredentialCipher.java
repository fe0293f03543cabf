package io.usersync.sync.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of connection credentials. The associated data binds a ciphertext to its tenant,
 * client account, connection and provider, so a ciphertext copied into another row does not decrypt.
 */
@ApplicationScoped
public class CredentialCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> keys = new HashMap<>();
    private final String activeKeyId;

    /** What is stored: which key, the nonce and the ciphertext (with its tag). */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    }

    @Inject
    public CredentialCipher(CryptoConfig config) {
        for (String pair : config.keys().split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("usersync.crypto.keys must be comma-separated id:base64 pairs");
            }
            String id = pair.substring(0, colon).strip();
            String base64 = pair.substring(colon + 1);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("usersync.crypto.keys: key '" + id + "' is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("usersync.crypto.keys: key '" + id + "' must be 32 bytes (AES-256)");
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        }
        this.activeKeyId = config.activeKeyId();
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("usersync.crypto.active-key-id names no configured key");
        }
    }

    public Sealed seal(String plaintext, UUID mspId, UUID clientId, UUID connectionId, String provider) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(mspId, clientId, connectionId, provider));
            return new Sealed(activeKeyId, nonce, cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential encryption failed", e);
        }
    }

    public String open(Sealed sealed, UUID mspId, UUID clientId, UUID connectionId, String provider) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("credentials are encrypted with key '" + sealed.keyId()
                    + "', which is no longer configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(aad(mspId, clientId, connectionId, provider));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored credentials could not be decrypted (wrong key or tampered)");
        }
    }

    public boolean isActiveKey(String keyId) {
        return activeKeyId.equals(keyId);
    }

    private static byte[] aad(UUID mspId, UUID clientId, UUID connectionId, String provider) {
        return ("usersync/credentials/v1|" + mspId + "|" + clientId + "|" + connectionId + "|" + provider)
                .getBytes(StandardCharsets.UTF_8);
    }
}
