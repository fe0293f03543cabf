package io.usersync.sync.m365;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the Microsoft 365 connector connects. Operator configuration only: nothing a tenant admin
 * enters can change these (the tenant id only fills the authority's path segment).
 */
@ConfigMapping(prefix = "usersync.sync.m365")
public interface M365Config {

    /** Microsoft Graph endpoint, including the version segment (national clouds or the emulator differ). */
    @WithDefault("https://graph.microsoft.com/v1.0")
    String graphBaseUrl();

    /** Microsoft Entra ID authority host; tokens come from {@code {authority-host}/{tenant}/oauth2/v2.0/token}. */
    @WithDefault("https://login.microsoftonline.com")
    String authorityHost();

    /** The scope requested for app-only Graph tokens. */
    @WithDefault("https://graph.microsoft.com/.default")
    String scope();

    /**
     * Whether MSAL validates the authority through Microsoft's instance discovery. Keep it on for the public
     * clouds; the emulator (and private authorities) need it off.
     */
    @WithDefault("true")
    boolean instanceDiscovery();

    /**
     * A PEM certificate trusted in addition to the JDK's CAs for the authority and Graph connections, e.g. the
     * emulator's self-signed certificate in tests and the demo. Leave unset in production.
     */
    Optional<Path> trustedCertificate();

    /** Users asked for per page ({@code $top}, or {@code Prefer: odata.maxpagesize} for delta); Graph caps at 999. */
    @WithDefault("999")
    int pageSize();

    /** Longest wait for one HTTP response (always also bounded by the run's deadline). */
    @WithDefault("60s")
    Duration requestTimeout();

    /** Retries of one request after a 5xx (other than throttling) or a transport failure. */
    @WithDefault("3")
    int maxTransientRetries();

    /** First back-off after a transient failure or a throttling answer without Retry-After; doubles each time. */
    @WithDefault("1s")
    Duration retryBaseDelay();

    /** Upper bound of one back-off without Retry-After. */
    @WithDefault("60s")
    Duration retryMaxDelay();
}
