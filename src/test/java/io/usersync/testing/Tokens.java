package io.usersync.testing;

import io.usersync.platform.DevTokens;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.UUID;

/** Bearer tokens for tests, signed with the development key (or deliberately not). */
public final class Tokens {

    private static PrivateKey devKey;
    private static PrivateKey foreignKey;

    private Tokens() {
    }

    public static synchronized PrivateKey devKey() {
        if (devKey == null) {
            try {
                devKey = DevTokens.devKey();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return devKey;
    }

    public static String operator() {
        return DevTokens.mint(devKey(), "test-operator", "operator", null, null, Duration.ofHours(1));
    }

    public static String mspAdmin(UUID msp) {
        return DevTokens.mint(devKey(), "test-msp-admin", "msp-admin", msp.toString(), null, Duration.ofHours(1));
    }

    public static String clientAdmin(UUID msp, UUID client) {
        return DevTokens.mint(devKey(), "test-client-admin", "client-admin", msp.toString(), client.toString(),
                Duration.ofHours(1));
    }

    /** Signed correctly but expired an hour ago. */
    public static String expiredOperator() {
        return DevTokens.mint(devKey(), "test-operator", "operator", null, null, Duration.ofHours(-1));
    }

    /**
     * A token with exactly these claims (no {@code iat}, {@code exp} or {@code aud} added), signed with the
     * development key: for tokens the builder would not make.
     */
    public static String signed(java.util.Map<String, Object> claims) {
        try {
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            jws.setPayload(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(claims));
            jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.RSA_USING_SHA256);
            jws.setKeyIdHeaderValue("usersync-dev");
            jws.setKey(devKey());
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An operator token signed by a key the service does not trust. */
    public static synchronized String forgedOperator() {
        if (foreignKey == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                foreignKey = generator.generateKeyPair().getPrivate();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return DevTokens.mint(foreignKey, "test-operator", "operator", null, null, Duration.ofHours(1));
    }
}
