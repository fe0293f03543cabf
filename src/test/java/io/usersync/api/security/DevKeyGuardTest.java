package io.usersync.api.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up refusal of the development key (the production-profile launch is covered by ProductionProfileIT). */
class DevKeyGuardTest {

    static final String DEV_LOCATION = "dev-keys/jwt-dev-public.pem";
    static final Optional<String> ISSUER = Optional.of("https://login.example.com/");

    static String devPem() {
        return DevKeyGuard.read(DEV_LOCATION);
    }

    static Optional<String> refusal(Optional<String> inline, Optional<String> location, boolean allowDevKey) {
        return DevKeyGuard.refusal(inline, location, ISSUER, allowDevKey);
    }

    @Test
    void theFingerprintConstantIsTheBundledDevKey() {
        assertEquals(DevKeyGuard.DEV_KEY_SHA256, DevKeyGuard.fingerprints(devPem()).getFirst(),
                "dev-keys/jwt-dev-public.pem changed: update DevKeyGuard.DEV_KEY_SHA256");
    }

    @Test
    void refusesTheDevKeyByLocationInlineFileAndJwkUnlessAllowed(@TempDir Path dir) throws Exception {
        Path copy = Files.writeString(dir.resolve("copy.pem"), devPem());
        for (Optional<String> location : java.util.List.of(Optional.of(DEV_LOCATION),
                Optional.of("classpath:" + DEV_LOCATION), Optional.of(copy.toString()),
                Optional.of(copy.toUri().toString()))) {
            assertTrue(refusal(Optional.empty(), location, false).orElseThrow().contains("development key"),
                    "dev key at " + location);
            assertEquals(Optional.empty(), refusal(Optional.empty(), location, true), "allowed at " + location);
        }
        assertTrue(refusal(Optional.of(devPem()), Optional.empty(), false).isPresent());
        String bare = devPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        assertTrue(refusal(Optional.of(bare), Optional.empty(), false).isPresent());
        RSAPublicKey dev = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(bare)));
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"" + b64url(dev.getModulus()) + "\",\"e\":\""
                + b64url(dev.getPublicExponent()) + "\"}]}";
        assertTrue(refusal(Optional.of(jwks), Optional.empty(), false).isPresent());
    }

    @Test
    void acceptsAnotherKeyAndRemoteLocations(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path own = Files.writeString(dir.resolve("own.pem"), pem, StandardCharsets.US_ASCII);
        assertEquals(Optional.empty(), refusal(Optional.empty(), Optional.of(own.toString()), false));
        assertEquals(Optional.empty(), refusal(Optional.of(pem), Optional.empty(), false));
        assertEquals(Optional.empty(),
                refusal(Optional.empty(), Optional.of("https://login.example.com/keys"), false));
    }

    @Test
    void refusesMissingOrUnreadableKeysAndTheDevIssuer(@TempDir Path dir) {
        assertTrue(refusal(Optional.empty(), Optional.empty(), false).orElseThrow().contains("No JWT"));
        assertTrue(refusal(Optional.empty(), Optional.of(dir.resolve("absent.pem").toString()), false)
                .orElseThrow().contains("cannot be read"));
        assertTrue(refusal(Optional.empty(), Optional.empty(), true).isPresent(), "allow-dev-key needs a key too");
        String other = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAx";
        assertTrue(DevKeyGuard.refusal(Optional.of(other), Optional.empty(),
                Optional.of(DevKeyGuard.DEV_ISSUER), false).orElseThrow().contains("development issuer"));
    }

    private static String b64url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
