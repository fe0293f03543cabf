package io.usersync.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why the JWT verification key must not be used: the development key, whose private half ships in the repository
 * and in every non-production jar, unless {@code usersync.auth.allow-dev-key} is set (only the {@code demo},
 * {@code dev} and {@code test} profiles set it); or no usable key at all, so a misconfigured replica fails its
 * rollout instead of answering 401 to everyone. {@code platform.StartupChecks} refuses to start with it.
 *
 * <p>The dev key is recognised by the SHA-256 fingerprint of its DER encoding, so production builds, which do
 * not carry the key files at all, still recognise it. Keys may be configured inline or by location, as PEM,
 * bare base64 or JWK/JWKS; a remote location (a JWKS URL) cannot be inspected here and is accepted.
 */
public final class DevKeyGuard {

    /** Issuer of development tokens ({@code mint-token}); refused as the configured issuer in production. */
    public static final String DEV_ISSUER = "https://usersync.local/dev";

    /** SHA-256 of the DER (SubjectPublicKeyInfo) of {@code dev-keys/jwt-dev-public.pem}. */
    static final String DEV_KEY_SHA256 = "34a171a8509dc844da106f97ec5282f8fc8ddcd95755f5274c4085305858eb32";

    private DevKeyGuard() {
    }

    /** Why the service must not start with these settings, or empty when they are acceptable. */
    public static Optional<String> refusal(Optional<String> inline, Optional<String> location, Optional<String> issuer,
            boolean allowDevKey) {
        String key;
        if (inline.filter(k -> !k.isBlank()).isPresent()) {
            key = inline.get();
        } else if (location.filter(l -> !l.isBlank()).isPresent()) {
            String where = location.get().strip();
            if (isRemote(where)) {
                return Optional.empty();
            }
            key = read(where);
            if (key == null) {
                return Optional.of("The JWT verification key at mp.jwt.verify.publickey.location=" + where
                        + " cannot be read");
            }
        } else {
            return Optional.of("No JWT verification key configured: set mp.jwt.verify.publickey.location (or "
                    + "mp.jwt.verify.publickey)");
        }
        if (allowDevKey) {
            return Optional.empty();
        }
        if (fingerprints(key).contains(DEV_KEY_SHA256)) {
            return Optional.of("The JWT verification key is the public development key, whose private half is "
                    + "published; configure your own key (mp.jwt.verify.publickey.location). For local use only, "
                    + "usersync.auth.allow-dev-key=true (set by the demo profile) permits it");
        }
        if (issuer.filter(DEV_ISSUER::equals).isPresent()) {
            return Optional.of("mp.jwt.verify.issuer is the development issuer " + DEV_ISSUER
                    + "; configure the issuer of your identity provider");
        }
        return Optional.empty();
    }

    /** SHA-256 fingerprints of every RSA public key found in a PEM, base64-DER, JWK or JWKS text. */
    static List<String> fingerprints(String text) {
        List<String> result = new ArrayList<>();
        String trimmed = text.strip();
        try {
            if (trimmed.startsWith("{")) {
                JsonNode root = new ObjectMapper().readTree(trimmed);
                JsonNode keys = root.has("keys") ? root.get("keys") : root;
                for (JsonNode jwk : keys.isArray() ? keys : List.of(keys)) {
                    if (jwk.hasNonNull("n") && jwk.hasNonNull("e")) {
                        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText()));
                        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()));
                        byte[] der = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e))
                                .getEncoded();
                        result.add(sha256(der));
                    }
                }
            } else {
                String base64 = trimmed.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                result.add(sha256(Base64.getMimeDecoder().decode(base64)));
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // not a key we can fingerprint: certainly not the dev key; smallrye-jwt reports the format problem
        }
        return result;
    }

    public static boolean isRemote(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("https:") || lower.startsWith("http:");
    }

    /** Reads a location the way smallrye-jwt resolves it: classpath:, file:, or a path tried on disk first. */
    static String read(String location) {
        try {
            if (location.startsWith("classpath:")) {
                return resource(location.substring("classpath:".length()));
            }
            if (location.startsWith("file:")) {
                return Files.readString(Path.of(java.net.URI.create(location)), StandardCharsets.US_ASCII);
            }
            Path file = Path.of(location);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            return resource(location);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String resource(String path) throws IOException {
        String name = path.startsWith("/") ? path.substring(1) : path;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String sha256(byte[] der) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }
}
