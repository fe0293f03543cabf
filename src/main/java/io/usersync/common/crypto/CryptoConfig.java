package io.usersync.common.crypto;

import io.smallrye.config.ConfigMapping;

/**
 * Keys that encrypt secrets at rest (directory credentials, webhook signing secrets), usually from a Kubernetes
 * Secret as environment variables: {@code USERSYNC_CRYPTO_ACTIVE_KEY_ID=k2} and
 * {@code USERSYNC_CRYPTO_KEYS=k2:<base64 of 32 bytes>,k1:<...>}. New secrets are encrypted with the active key;
 * older keys stay listed so existing ciphertexts can still be read (rotation: add a key, make it active, keep the
 * old one until the secrets are entered or rotated again).
 */
@ConfigMapping(prefix = "usersync.crypto")
public interface CryptoConfig {

    /** Id of the key used for new encryptions. */
    String activeKeyId();

    /** Comma-separated {@code id:base64} pairs, each a 256-bit AES key. */
    String keys();
}
