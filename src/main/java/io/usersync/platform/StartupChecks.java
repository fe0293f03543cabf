package io.usersync.platform;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.MemorySize;
import io.usersync.api.error.ApiConfig;
import io.usersync.api.security.AuthConfig;
import io.usersync.api.security.DevKeyGuard;
import io.usersync.common.SettingsCheck;
import io.usersync.sync.engine.CredentialCipher;
import io.usersync.sync.engine.SyncConfig;
import io.usersync.sync.google.GoogleConfig;
import io.usersync.sync.m365.M365Config;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start, with one line naming every bad setting, when a setting would only fail later: a crypto key
 * that is not 32 bytes of base64 or an active key id that names no key (the first connection would answer 500),
 * a missing or development JWT key, issuer or audience, a JWKS URL that is not https, durations that must be
 * positive, sizes beyond their ceiling, endpoints that are not URLs. Malformed values (a duration that does not
 * parse) are refused by Quarkus itself before this runs.
 *
 * <p>The refusal is a {@link ConfigurationException}, which Quarkus prints as its message alone, without a stack
 * trace: {@code usersync refuses to start: <property> <problem>; <property> <problem>}.
 */
@ApplicationScoped
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);
    static final String PREFIX = "usersync refuses to start: ";

    @Inject
    AuthConfig auth;

    @Inject
    ApiConfig api;

    @Inject
    SyncConfig sync;

    @Inject
    M365Config m365;

    @Inject
    GoogleConfig google;

    @Inject
    Instance<CredentialCipher> cipher;

    @Inject
    Instance<SettingsCheck> contributions;

    // the standard mp.jwt.* keys belong to smallrye-jwt, not to a usersync @ConfigMapping
    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> inlineKey;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> keyLocation;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    Optional<String> issuer;

    @ConfigProperty(name = "mp.jwt.verify.audiences")
    Optional<List<String>> audiences;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> httpBodyCeiling;

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(PREFIX + String.join("; ", problems));
        }
        keyLocation.filter(DevKeyGuard::isRemote).ifPresent(url -> LOG.infof("bearer tokens are verified with the "
                + "keys of %s (fetched on first use, cached, fetched again for unknown key ids)", url));
    }

    List<String> problems() {
        Settings s = new Settings();
        jwt(s);
        crypto(s);
        long ceiling = httpBodyCeiling.map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
        long limit = api.maxBodySize().asLongValue();
        if (limit <= 0 || limit > ceiling) {
            s.problem("usersync.api.max-body-size", "must be positive and at most quarkus.http.limits.max-body-size ("
                    + ceiling + " bytes), is " + limit + " bytes");
        }
        syncSettings(s);
        for (SettingsCheck contribution : contributions) {
            contribution.check(s::problem);
        }
        return s.problems();
    }

    private void jwt(Settings s) {
        DevKeyGuard.refusal(inlineKey, keyLocation, issuer, auth.allowDevKey()).ifPresent(s::plain);
        if (inlineKey.filter(k -> !k.isBlank()).isEmpty()) {
            keyLocation.filter(DevKeyGuard::isRemote).ifPresent(url ->
                    s.url("mp.jwt.verify.publickey.location", url, false));
        }
        if (issuer.filter(i -> !i.isBlank()).isEmpty()) {
            s.problem("mp.jwt.verify.issuer", "is not set: set the issuer (iss) of your identity provider's tokens");
        } else {
            s.absoluteUri("mp.jwt.verify.issuer", issuer.get());
        }
        if (audiences.map(a -> a.stream().allMatch(String::isBlank)).orElse(true)) {
            s.problem("mp.jwt.verify.audiences", "is not set: set the audience (aud) your identity provider issues "
                    + "tokens for this service with");
        }
        s.positive("usersync.auth.max-token-lifetime", auth.maxTokenLifetime());
        AuthConfig.Claims claims = auth.claims();
        for (var claim : List.of(List.of("usersync.auth.claims.roles", claims.roles()),
                List.of("usersync.auth.claims.msp-id", claims.mspId()),
                List.of("usersync.auth.claims.client-id", claims.clientId()))) {
            String value = claim.get(1);
            if (value.isBlank()) {
                s.problem(claim.get(0), "must be a claim name or a path like realm_access/roles (is '" + value + "')");
            }
        }
    }

    /** The credential keys, checked by building the cipher that uses them (one rule, in CredentialCipher). */
    private void crypto(Settings s) {
        try {
            cipher.get().isActiveKey("");
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
                cause = cause.getCause();
            }
            s.problem("usersync.crypto", "is not usable: " + cause.getMessage());
        }
    }

    private void syncSettings(Settings s) {
        SyncConfig.Worker worker = sync.worker();
        s.positive("usersync.sync.worker.poll-interval", worker.pollInterval());
        s.between("usersync.sync.worker.max-concurrent-runs", worker.maxConcurrentRuns(), 1, 1000);
        s.positive("usersync.sync.worker.lease-duration", worker.leaseDuration());
        s.positive("usersync.sync.worker.lease-renewal", worker.leaseRenewal());
        if (worker.leaseRenewal().multipliedBy(2).compareTo(worker.leaseDuration()) > 0) {
            s.problem("usersync.sync.worker.lease-renewal", "must be at most half of usersync.sync.worker."
                    + "lease-duration (" + worker.leaseRenewal() + " > " + worker.leaseDuration() + " / 2)");
        }
        s.notNegative("usersync.sync.worker.shutdown-drain", worker.shutdownDrain());
        SyncConfig.Schedule schedule = sync.schedule();
        s.between("usersync.sync.schedule.minimum-minutes", schedule.minimumMinutes(), 1, 10080);
        s.between("usersync.sync.schedule.default-minutes", schedule.defaultMinutes(), schedule.minimumMinutes(),
                10080);
        s.between("usersync.sync.schedule.jitter-percent", schedule.jitterPercent(), 0, 100);
        s.notNegative("usersync.sync.schedule.failure-retry", schedule.failureRetry());
        // 0s: every run reads in full
        s.notNegative("usersync.sync.schedule.full-reconcile-interval", schedule.fullReconcileInterval());
        SyncConfig.Run run = sync.run();
        s.positive("usersync.sync.run.time-budget", run.timeBudget());
        s.between("usersync.sync.run.apply-chunk-size", run.applyChunkSize(), 1, 100_000);
        s.between("usersync.sync.run.prefetch-pages", run.prefetchPages(), 1, 100);
        s.between("usersync.sync.guard.mass-deactivation-percent", sync.guard().massDeactivationPercent(), 0, 100);
        s.between("usersync.sync.guard.mass-deactivation-minimum", sync.guard().massDeactivationMinimum(), 0,
                10_000_000);

        s.url("usersync.sync.m365.graph-base-url", m365.graphBaseUrl(), false);
        s.url("usersync.sync.m365.authority-host", m365.authorityHost(), false);
        s.between("usersync.sync.m365.page-size", m365.pageSize(), 1, 999);
        s.positive("usersync.sync.m365.request-timeout", m365.requestTimeout());
        s.between("usersync.sync.m365.max-transient-retries", m365.maxTransientRetries(), 0, 100);
        s.positive("usersync.sync.m365.retry-base-delay", m365.retryBaseDelay());
        s.atLeast("usersync.sync.m365.retry-max-delay", m365.retryMaxDelay(), m365.retryBaseDelay());
        // (the trusted certificate is not checked here: the demo's emulator writes it during start-up)

        s.url("usersync.sync.google.root-url", google.rootUrl(), false);
        s.url("usersync.sync.google.token-uri", google.tokenUri().toString(), false);
        s.positive("usersync.sync.google.connect-timeout", google.connectTimeout());
        s.positive("usersync.sync.google.read-timeout", google.readTimeout());
        s.positive("usersync.sync.google.retry.initial-backoff", google.retry().initialBackoff());
        s.atLeast("usersync.sync.google.retry.max-backoff", google.retry().maxBackoff(),
                google.retry().initialBackoff());
        s.between("usersync.sync.google.retry.max-attempts", google.retry().maxAttempts(), 1, 100);
    }
}
