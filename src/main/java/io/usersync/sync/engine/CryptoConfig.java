package io.usersync.sync.engine;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * Keys that encrypt directory credentials at rest. Provide them through a Kubernetes Secret as environment
 * variables, e.g. {@code USERSYNC_CRYPTO_ACTIVE_KEY_ID=k2} and {@code USERSYNC_CRYPTO_KEYS__K2_=<base64 of 32
 * bytes>}. New credentials are encrypted with the active key; older keys stay listed so existing ciphertexts
 * can still be read until they are re-encrypted (rotation).
 */
@ConfigMapping(prefix = "usersync.crypto")
public interface CryptoConfig {

    /** Id of the key used for new encryptions. */
    String activeKeyId();

    /** Key id → base64 of a 256-bit AES key. */
    Map<String, String> keys();
}
