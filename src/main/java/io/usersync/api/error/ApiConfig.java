package io.usersync.api.error;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the HTTP API. */
@ConfigMapping(prefix = "usersync.api")
public interface ApiConfig {

    /**
     * Largest request body the API accepts; a request announcing a larger one (Content-Length) is refused with
     * 413 problem+json before it is read. Keep it below {@code quarkus.http.limits.max-body-size}, the hard
     * ceiling for bodies sent without a length, which Quarkus refuses with an empty 413.
     */
    @WithDefault("2M")
    MemorySize maxBodySize();
}
