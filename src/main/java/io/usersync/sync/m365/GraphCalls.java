package io.usersync.sync.m365;

import com.azure.core.exception.ClientAuthenticationException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The retry and failure policy of one read (or one connection test), around each Graph SDK call.
 * <ul>
 * <li>429 / 503 / 504: wait as {@code Retry-After} says (exponential back-off when absent) plus jitter, as often as
 * needed, but only while the wait ends before the run's deadline; then {@link Kind#THROTTLED}.</li>
 * <li>Other 5xx and transport failures (connection reset, timeouts): a bounded number of retries with back-off
 * and jitter, then {@link Kind#PROVIDER_ERROR} / {@link Kind#NETWORK}.</li>
 * <li>Everything else fails at once with its kind (401 → authentication, 403 → permission, 404 → not found,
 * 410 / resync codes → delta expired, unparsable body → malformed).</li>
 * </ul>
 * The SDK's own RetryHandler is configured not to retry (see {@link M365Connector}), because it can neither see
 * the deadline nor add jitter; this class is the one place that decides. Messages carry the provider's error
 * code and message only, never tokens, secrets or bodies. The OkHttp {@link #interceptor()} bounds each HTTP
 * exchange by the deadline and counts requests and throttled responses.
 */
final class GraphCalls {

    /** Graph error codes that mean "the delta token is no longer valid: read everything again". */
    private static final Set<String> RESYNC_CODES = Set.of("syncstatenotfound", "resyncrequired",
            "syncstateinvalid", "directory_expiredpagetoken");
    private static final int MAX_MESSAGE = 300;

    private final M365Config config;
    private final Instant deadline;
    private final String secret;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    GraphCalls(M365Config config, Instant deadline, Credentials.M365 credentials) {
        this.config = config;
        this.deadline = deadline;
        this.secret = credentials.clientSecret() != null ? credentials.clientSecret() : credentials.privateKeyPem();
    }

    long requests() {
        return requests.get();
    }

    long throttled() {
        return throttled.get();
    }

    /** Bounds every HTTP exchange by the deadline; counts requests and throttled answers. */
    Interceptor interceptor() {
        return chain -> {
            long remaining = Duration.between(Instant.now(), deadline).toMillis();
            if (remaining <= 0) {
                throw new DeadlineReached();
            }
            int timeout = (int) Math.max(1, Math.min(remaining, config.requestTimeout().toMillis()));
            requests.incrementAndGet();
            Response response = chain.withConnectTimeout(timeout, TimeUnit.MILLISECONDS)
                    .withReadTimeout(timeout, TimeUnit.MILLISECONDS)
                    .withWriteTimeout(timeout, TimeUnit.MILLISECONDS)
                    .proceed(chain.request());
            if (isThrottling(response.code())) {
                throttled.incrementAndGet();
            }
            return response;
        };
    }

    /** The run's time budget ended before or during an HTTP exchange. */
    static final class DeadlineReached extends InterruptedIOException {
        DeadlineReached() {
            super("the run's deadline was reached");
        }
    }

    /** Executes one SDK call under the policy above. {@code action} names it in messages ("reading users"). */
    <T> T call(String action, Supplier<T> request) throws DirectoryException {
        int transientRetries = 0;
        int throttleRetries = 0;
        while (true) {
            if (!Instant.now().isBefore(deadline)) {
                throw new DirectoryException(Kind.TIMEOUT, "the run's time budget was used up while " + action);
            }
            Failure failure;
            try {
                return request.get();
            } catch (RuntimeException e) {
                failure = classify(e, action);
            }
            Duration wait;
            if (failure.throttling) {
                wait = jitter(failure.retryAfter != null ? failure.retryAfter : backoff(throttleRetries));
                throttleRetries++;
                if (Instant.now().plus(wait).isAfter(deadline)) {
                    throw new DirectoryException(Kind.THROTTLED, failure.error.getMessage() + " (throttled "
                            + throttleRetries + " times; waiting " + wait.toSeconds()
                            + " s more would exceed the run's time budget)");
                }
            } else if (failure.retryable && transientRetries < config.maxTransientRetries()) {
                wait = jitter(backoff(transientRetries));
                transientRetries++;
                if (Instant.now().plus(wait).isAfter(deadline)) {
                    throw failure.error;
                }
            } else {
                throw failure.error;
            }
            sleep(wait, action);
        }
    }

    private record Failure(DirectoryException error, boolean retryable, boolean throttling, Duration retryAfter) {
    }

    private Failure classify(RuntimeException e, String action) {
        MsalServiceException refused = find(e, MsalServiceException.class);
        if (refused != null) {
            return fail(Kind.AUTHENTICATION, "the token request was refused: " + refused.errorCode() + ": "
                    + safe(refused.getMessage()));
        }
        if (find(e, ClientAuthenticationException.class) != null
                || find(e, com.azure.identity.CredentialUnavailableException.class) != null
                || find(e, com.microsoft.aad.msal4j.MsalException.class) != null) {
            IOException io = find(e, IOException.class);
            if (io != null) {
                return new Failure(new DirectoryException(Kind.NETWORK, "could not reach the token endpoint: "
                        + describe(io)), true, false, null);
            }
            return fail(Kind.AUTHENTICATION, "could not obtain a token: " + safe(rootMessage(e)));
        }
        ApiException api = find(e, ApiException.class);
        if (api != null && api.getResponseStatusCode() > 0) {
            return classifyResponse(api, action);
        }
        if (find(e, com.google.gson.JsonParseException.class) != null) {
            return fail(Kind.MALFORMED_RESPONSE, action + ": Graph answered with a body that is not valid JSON");
        }
        if (find(e, DeadlineReached.class) != null) {
            return fail(Kind.TIMEOUT, "the run's time budget was used up while " + action);
        }
        IOException io = find(e, IOException.class);
        if (io != null) {
            return new Failure(new DirectoryException(Kind.NETWORK, action + ": " + describe(io)), true, false, null);
        }
        if (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).contains("https")) {
            return fail(Kind.CONFIGURATION, action + ": " + safe(e.getMessage()));
        }
        return fail(Kind.PROVIDER_ERROR, action + ": unexpected " + e.getClass().getSimpleName() + ": "
                + safe(rootMessage(e)));
    }

    private Failure classifyResponse(ApiException api, String action) {
        int status = api.getResponseStatusCode();
        String code = null;
        String message = null;
        if (api instanceof ODataError odata && odata.getError() != null) {
            code = odata.getError().getCode();
            message = odata.getError().getMessage();
        }
        String detail = action + ": HTTP " + status + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + safe(message));
        if (isThrottling(status)) {
            return new Failure(new DirectoryException(Kind.THROTTLED, detail), false, true,
                    retryAfter(api.getResponseHeaders()));
        }
        if (status == 410 || (code != null && RESYNC_CODES.contains(code.toLowerCase(Locale.ROOT)))) {
            return fail(Kind.DELTA_EXPIRED, detail);
        }
        return switch (status) {
            case 401 -> fail(Kind.AUTHENTICATION, detail);
            case 403 -> fail(Kind.PERMISSION, detail + " (the app needs the application permission User.Read.All, "
                    + "and GroupMember.Read.All for group pools, with admin consent)");
            case 404 -> fail(Kind.NOT_FOUND, detail);
            default -> new Failure(new DirectoryException(Kind.PROVIDER_ERROR, detail), status >= 500, false, null);
        };
    }

    private static Failure fail(Kind kind, String message) {
        return new Failure(new DirectoryException(kind, message), false, false, null);
    }

    static boolean isThrottling(int status) {
        return status == 429 || status == 503 || status == 504;
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Map<String, Set<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, Set<String>> header : headers.entrySet()) {
            if (!"retry-after".equalsIgnoreCase(header.getKey()) || header.getValue().isEmpty()) {
                continue;
            }
            String value = header.getValue().iterator().next().strip();
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration wait = Duration.between(Instant.now(), at);
                    return wait.isNegative() ? Duration.ZERO : wait;
                } catch (RuntimeException notADate) {
                    return null;
                }
            }
        }
        return null;
    }

    private Duration backoff(int attempt) {
        long base = config.retryBaseDelay().toMillis();
        long delay = base << Math.min(attempt, 16);
        return Duration.ofMillis(Math.min(delay, config.retryMaxDelay().toMillis()));
    }

    /** Adds up to 10 % (at least 50 ms, at most 2 s) so throttled runs do not retry in lockstep; never shortens. */
    private static Duration jitter(Duration wait) {
        long spread = Math.min(2000, Math.max(50, wait.toMillis() / 10));
        return wait.plusMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    }

    private void sleep(Duration wait, String action) throws DirectoryException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryException(Kind.TIMEOUT, "the read was interrupted while " + action);
        }
    }

    private static <X extends Throwable> X find(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private String describe(IOException io) {
        return io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + safe(io.getMessage()));
    }

    /**
     * A provider message made safe to store and show: AAD's trace lines dropped, control characters removed,
     * shortened, and the connection's secret masked should a provider ever echo it.
     */
    String safe(String message) {
        if (message == null) {
            return "";
        }
        String text = message;
        int trace = text.indexOf("Trace ID:");
        if (trace > 0) {
            text = text.substring(0, trace);
        }
        if (secret != null && !secret.isBlank()) {
            text = text.replace(secret, "***");
        }
        text = text.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
