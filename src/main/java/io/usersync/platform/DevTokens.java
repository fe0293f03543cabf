package io.usersync.platform;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.usersync.api.security.DevKeyGuard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code mint-token}: prints a bearer token signed with the development key, for local use with the {@code demo}
 * profile. The key pair ships inside the jar ({@code dev-keys/}) of every build except production builds
 * ({@code -Dproduction}), and the production profile refuses tokens signed with it (see {@code DevKeyGuard}).
 *
 * <pre>
 * java -jar target/quarkus-app/quarkus-run.jar mint-token --role operator
 * java -jar target/quarkus-app/quarkus-run.jar mint-token --role msp-admin --msp &lt;id&gt;
 * java -jar target/quarkus-app/quarkus-run.jar mint-token --role client-admin --msp &lt;id&gt; --client &lt;id&gt;
 * </pre>
 */
public final class DevTokens {

    public static final String DEV_ISSUER = DevKeyGuard.DEV_ISSUER;
    /** Audience of development tokens; the demo, dev and test profiles verify it ({@code mp.jwt.verify.audiences}). */
    public static final String DEV_AUDIENCE = "usersync";
    /** Default of {@code usersync.auth.max-token-lifetime}, the longest lifetime the service accepts. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
    /** Classpath location of the development private key (absent from production builds). */
    public static final String DEV_KEY_RESOURCE = "dev-keys/jwt-dev-private.pem";

    private DevTokens() {
    }

    public static int cli(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                System.err.println("unexpected argument: " + args[i]);
                return usage();
            }
        }
        if (!Set.of("role", "msp", "client", "subject", "hours", "key", "issuer", "audience")
                .containsAll(options.keySet())) {
            System.err.println("unknown option among " + options.keySet());
            return usage();
        }
        String role = options.getOrDefault("role", "operator");
        if (!Set.of("operator", "msp-admin", "client-admin").contains(role)) {
            System.err.println("--role must be operator, msp-admin or client-admin");
            return usage();
        }
        if (!"operator".equals(role) && options.get("msp") == null) {
            System.err.println("--role " + role + " needs --msp <MSP id>");
            return usage();
        }
        if ("client-admin".equals(role) && options.get("client") == null) {
            System.err.println("--role client-admin needs --client <client account id>");
            return usage();
        }
        Duration lifetime;
        Duration max;
        try {
            lifetime = Duration.ofHours(Long.parseLong(options.getOrDefault("hours", "8")));
            max = maxLifetime();
        } catch (RuntimeException e) {
            System.err.println("--hours must be a whole number of hours, and usersync.auth.max-token-lifetime a "
                    + "duration: " + e.getMessage());
            return usage();
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(max) > 0) {
            System.err.println("--hours must be from 1 to " + max.toHours() + ": the service refuses tokens that "
                    + "live longer than usersync.auth.max-token-lifetime (" + max + ")");
            return usage();
        }
        try {
            PrivateKey key = options.containsKey("key") ? readKey(Path.of(options.get("key"))) : devKey();
            System.out.println(mint(key, options.getOrDefault("issuer", DEV_ISSUER),
                    options.getOrDefault("audience", DEV_AUDIENCE), options.getOrDefault("subject", "dev-" + role),
                    role, options.get("msp"), options.get("client"), lifetime));
            return 0;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            System.err.println("could not mint a token: " + e.getMessage());
            return 1;
        }
    }

    public static String mint(PrivateKey key, String subject, String role, String mspId, String clientId,
            Duration lifetime) {
        return mint(key, DEV_ISSUER, subject, role, mspId, clientId, lifetime);
    }

    public static String mint(PrivateKey key, String issuer, String subject, String role, String mspId,
            String clientId, Duration lifetime) {
        return mint(key, issuer, DEV_AUDIENCE, subject, role, mspId, clientId, lifetime);
    }

    /** A token with {@code iat} now and {@code exp} after the lifetime, for the audience (null: none). */
    public static String mint(PrivateKey key, String issuer, String audience, String subject, String role,
            String mspId, String clientId, Duration lifetime) {
        JwtClaimsBuilder claims = Jwt.issuer(issuer).subject(subject).upn(subject).groups(Set.of(role))
                .expiresIn(lifetime);
        if (audience != null) {
            claims.audience(audience);
        }
        if (mspId != null) {
            claims.claim("msp_id", mspId);
        }
        if (clientId != null) {
            claims.claim("client_id", clientId);
        }
        return claims.jws().keyId("usersync-dev").sign(key);
    }

    /**
     * The service's maximum token lifetime as the environment configures it for the service
     * ({@code USERSYNC_AUTH_MAX_TOKEN_LIFETIME} or {@code -Dusersync.auth.max-token-lifetime}), else 24 h.
     */
    static Duration maxLifetime() {
        String value = System.getProperty("usersync.auth.max-token-lifetime",
                System.getenv("USERSYNC_AUTH_MAX_TOKEN_LIFETIME"));
        return value == null || value.isBlank() ? DEFAULT_MAX_LIFETIME
                : io.quarkus.runtime.configuration.DurationConverter.parseDuration(value.strip());
    }

    /** The development private key bundled in non-production builds. */
    public static PrivateKey devKey() throws IOException, GeneralSecurityException {
        try (InputStream in = DevTokens.class.getClassLoader().getResourceAsStream(DEV_KEY_RESOURCE)) {
            if (in == null) {
                throw new IOException("this build carries no development key (production build); pass --key FILE");
            }
            return parseKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    public static PrivateKey readKey(Path pem) throws IOException, GeneralSecurityException {
        return parseKey(Files.readString(pem, StandardCharsets.US_ASCII));
    }

    private static PrivateKey parseKey(String pem) throws GeneralSecurityException {
        String text = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    private static int usage() {
        System.err.println("usage: mint-token [--role operator|msp-admin|client-admin] [--msp ID] [--client ID] "
                + "[--subject NAME] [--hours N (at most usersync.auth.max-token-lifetime, 24 h)] [--key PKCS8-PEM-FILE] "
                + "[--issuer URI] [--audience NAME (default usersync)]");
        return 2;
    }
}
