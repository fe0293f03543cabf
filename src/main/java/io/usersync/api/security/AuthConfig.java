package io.usersync.api.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Authentication settings beyond the standard {@code mp.jwt.verify.*} ones. */
@ConfigMapping(prefix = "usersync.auth")
public interface AuthConfig {

    /**
     * Whether the bundled development key pair may be used to verify tokens. Only the {@code demo}, {@code dev}
     * and {@code test} profiles enable it; in production the service refuses to start with the dev key, because
     * its private half is public in the repository.
     */
    @WithDefault("false")
    boolean allowDevKey();
}
