package io.usersync.api.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Authentication settings beyond the standard {@code mp.jwt.verify.*} ones (key location, issuer, audiences),
 * which smallrye-jwt reads itself.
 */
@ConfigMapping(prefix = "usersync.auth")
public interface AuthConfig {

    /**
     * Whether the bundled development key pair may be used to verify tokens. Only the {@code demo}, {@code dev}
     * and {@code test} profiles enable it; in production the service refuses to start with the dev key, because
     * its private half is public in the repository.
     */
    @WithDefault("false")
    boolean allowDevKey();

    /**
     * Longest lifetime a bearer token may have, measured from its {@code iat} to its {@code exp}. Longer-lived
     * tokens, and tokens without {@code iat} or {@code exp}, are refused (401) even when their signature is
     * valid, so a leaked token is worthless after at most this long. {@code mint-token --hours} respects it.
     */
    @WithDefault("24h")
    Duration maxTokenLifetime();

    /** Where a token carries the usersync roles and tenant ids (see docs/identity.md). */
    Claims claims();

    /**
     * The claims a token's usersync identity is read from. Each name may be a path into nested JSON objects,
     * separated by {@code /} (Keycloak's realm roles: {@code realm_access/roles}).
     */
    interface Claims {

        /** Claim holding the roles: a JSON array of strings, or one string of names separated by spaces or commas. */
        @WithDefault("groups")
        String roles();

        /**
         * Prefix every usersync role carries in the roles claim, e.g. {@code usersync-} for IdP roles named
         * {@code usersync-operator}, {@code usersync-msp-admin}, {@code usersync-client-admin}. Entries without the
         * prefix are ignored. Empty: the roles are named exactly {@code operator}, {@code msp-admin}, {@code client-admin}.
         */
        Optional<String> rolePrefix();

        /** Claim holding the MSP id of an {@code msp-admin} or {@code client-admin}. */
        @WithDefault("msp_id")
        String mspId();

        /** Claim holding the client account id of a {@code client-admin}. */
        @WithDefault("client_id")
        String clientId();
    }
}
