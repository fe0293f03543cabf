package io.usersync.webhook;

import io.usersync.common.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Encrypts and decrypts endpoint signing keys with the service's key ring ({@link SecretCipher}, AES-256-GCM). The
 * associated data binds a ciphertext to its purpose, MSP, client account and endpoint, so a key copied into
 * another endpoint's row (or into a directory connection) does not decrypt. Keys are decrypted only to sign.
 */
@ApplicationScoped
public class EndpointSecrets {

    @Inject
    SecretCipher cipher;

    public SecretCipher.Sealed seal(byte[] key, UUID mspId, UUID clientId, UUID endpointId) {
        return cipher.seal(key, aad(mspId, clientId, endpointId));
    }

    public byte[] open(SecretCipher.Sealed sealed, UUID mspId, UUID clientId, UUID endpointId) {
        return cipher.open(sealed, aad(mspId, clientId, endpointId));
    }

    private static byte[] aad(UUID mspId, UUID clientId, UUID endpointId) {
        return ("usersync/webhook-secret/v1|" + mspId + "|" + clientId + "|" + endpointId)
                .getBytes(StandardCharsets.UTF_8);
    }
}
