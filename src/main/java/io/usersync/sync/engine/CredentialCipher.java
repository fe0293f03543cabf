package io.usersync.sync.engine;

import io.usersync.common.crypto.CryptoConfig;
import io.usersync.common.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * AES-256-GCM encryption of connection credentials ({@link SecretCipher}). The associated data binds a ciphertext
 * to its tenant, client account, connection and provider, so a ciphertext copied into another row does not
 * decrypt.
 */
@ApplicationScoped
public class CredentialCipher {

    private final SecretCipher cipher;

    /** What is stored: which key, the nonce and the ciphertext (with its tag). */
    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {
    }

    @Inject
    public CredentialCipher(CryptoConfig config) {
        this.cipher = new SecretCipher(config);
    }

    public Sealed seal(String plaintext, UUID mspId, UUID clientId, UUID connectionId, String provider) {
        SecretCipher.Sealed sealed = cipher.seal(plaintext.getBytes(StandardCharsets.UTF_8),
                aad(mspId, clientId, connectionId, provider));
        return new Sealed(sealed.keyId(), sealed.nonce(), sealed.ciphertext());
    }

    public String open(Sealed sealed, UUID mspId, UUID clientId, UUID connectionId, String provider) {
        try {
            return new String(cipher.open(new SecretCipher.Sealed(sealed.keyId(), sealed.nonce(),
                    sealed.ciphertext()), aad(mspId, clientId, connectionId, provider)), StandardCharsets.UTF_8);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage().startsWith("a secret is encrypted with key")
                    ? "credentials are encrypted with key '" + sealed.keyId() + "', which is no longer configured"
                    : "stored credentials could not be decrypted (wrong key or tampered)");
        }
    }

    public boolean isActiveKey(String keyId) {
        return cipher.isActiveKey(keyId);
    }

    private static byte[] aad(UUID mspId, UUID clientId, UUID connectionId, String provider) {
        return ("usersync/credentials/v1|" + mspId + "|" + clientId + "|" + connectionId + "|" + provider)
                .getBytes(StandardCharsets.UTF_8);
    }
}
