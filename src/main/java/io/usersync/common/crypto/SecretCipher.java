package io.usersync.common.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of secrets at rest with the configured key ring ({@link CryptoConfig}): a 12-byte random
 * nonce, a 128-bit tag, and associated data chosen by the caller, which binds each ciphertext to its purpose and
 * its row (tenant, owner id, ...), so a ciphertext copied into another row or used for another purpose does not
 * decrypt. Callers build the associated data; this class owns the keys and the algorithm.
 */
@ApplicationScoped
public class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, SecretKey> keys = new HashMap<>();
    private final String activeKeyId;

    /** What is stored: which key, the nonce and the ciphertext (with its tag). */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    }

    @Inject
    public SecretCipher(CryptoConfig config) {
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

    /** Encrypts with the active key, binding the ciphertext to {@code associatedData}. */
    public Sealed seal(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return new Sealed(activeKeyId, nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * Decrypts; fails (without saying more) when the key is no longer configured, the ciphertext was tampered with
     * or the associated data differs from the one it was sealed with.
     */
    public byte[] open(Sealed sealed, byte[] associatedData) {
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("a secret is encrypted with key '" + sealed.keyId()
                    + "', which is no longer configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed.ciphertext());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored secret could not be decrypted (wrong key or tampered)");
        }
    }

    public boolean isActiveKey(String keyId) {
        return activeKeyId.equals(keyId);
    }
}
