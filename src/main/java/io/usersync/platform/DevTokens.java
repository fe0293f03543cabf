package io.usersync.platform;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code mint-token}: prints a bearer token signed with the development key, for local use with the demo
 * profile. Production refuses tokens signed with this key (see {@code DevKeyGuard}).
 *
 * <pre>
 * java -jar target/quarkus-app/quarkus-run.jar mint-token --role operator
 * java -jar target/quarkus-app/quarkus-run.jar mint-token --role msp-admin --msp &lt;id&gt;
 * java -jar target/quarkus-app/quarkus-run.jar mint-token --role client-admin --msp &lt;id&gt; --client &lt;id&gt;
 * </pre>
 */
public final class DevTokens {

    public static final String DEV_ISSUER = "https://usersync.local/dev";
    public static final String DEFAULT_KEY = "dev/jwt-dev-private.pem";

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
        String role = options.getOrDefault("role", "operator");
        if (!Set.of("operator", "msp-admin", "client-admin").contains(role)) {
            System.err.println("--role must be operator, msp-admin or client-admin");
            return usage();
        }
        try {
            PrivateKey key = readKey(Path.of(options.getOrDefault("key", DEFAULT_KEY)));
            System.out.println(mint(key, options.getOrDefault("subject", "dev-" + role), role, options.get("msp"),
                    options.get("client"), Duration.ofHours(Long.parseLong(options.getOrDefault("hours", "8")))));
            return 0;
        } catch (Exception e) {
            System.err.println("could not mint a token: " + e.getMessage());
            return 1;
        }
    }

    public static String mint(PrivateKey key, String subject, String role, String mspId, String clientId,
            Duration lifetime) {
        JwtClaimsBuilder claims = Jwt.issuer(DEV_ISSUER).subject(subject).upn(subject).groups(Set.of(role))
                .expiresIn(lifetime);
        if (mspId != null) {
            claims.claim("msp_id", mspId);
        }
        if (clientId != null) {
            claims.claim("client_id", clientId);
        }
        return claims.jws().keyId("usersync-dev").sign(key);
    }

    public static PrivateKey readKey(Path pem) throws Exception {
        String text = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    private static int usage() {
        System.err.println("usage: mint-token [--role operator|msp-admin|client-admin] [--msp ID] [--client ID] "
                + "[--subject NAME] [--hours N] [--key dev/jwt-dev-private.pem]");
        return 2;
    }
}
