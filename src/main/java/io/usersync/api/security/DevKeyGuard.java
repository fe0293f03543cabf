package io.usersync.api.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start when tokens would be verified with the development key (whose private half is in the
 * repository) unless {@code usersync.auth.allow-dev-key} is set, and when no verification key is configured.
 */
@Startup
@ApplicationScoped
public class DevKeyGuard {

    static final String DEV_KEY_RESOURCE = "dev-keys/jwt-dev-public.pem";

    @Inject
    AuthConfig config;

    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> inlineKey;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> keyLocation;

    @jakarta.annotation.PostConstruct
    void check() {
        String key = inlineKey.orElseGet(() -> keyLocation.map(DevKeyGuard::read).orElse(null));
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("No JWT verification key configured: set mp.jwt.verify.publickey "
                    + "or mp.jwt.verify.publickey.location");
        }
        if (!config.allowDevKey() && normalized(key).equals(normalized(read(DEV_KEY_RESOURCE)))) {
            throw new IllegalStateException("The JWT verification key is the public development key; configure "
                    + "your own key (mp.jwt.verify.publickey.location) or, for local use only, set "
                    + "usersync.auth.allow-dev-key=true");
        }
    }

    private static String normalized(String pem) {
        return pem == null ? "" : pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static String read(String location) {
        try {
            String path = location.startsWith("classpath:") ? location.substring("classpath:".length()) : location;
            if (path.startsWith("file:")) {
                return Files.readString(Path.of(path.substring("file:".length())), StandardCharsets.US_ASCII);
            }
            Path file = Path.of(path);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
