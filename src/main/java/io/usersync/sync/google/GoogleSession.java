package io.usersync.sync.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.services.directory.Directory;
import com.google.api.services.directory.DirectoryRequest;
import com.google.api.services.directory.DirectoryScopes;
import com.google.auth.Retryable;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.DirectoryException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One authenticated conversation with the Admin SDK Directory API for a single read or connection test: the
 * official {@link Directory} client over {@link ServiceAccountCredentials} with domain-wide delegation, plus the
 * retry policy and the translation of every failure into a secret-free {@link DirectoryException}.
 * <p>
 * The SDKs' own retries are switched off (token requests) or limited to the one 401 refresh of the credentials
 * adapter, so every wait is decided here and never runs past the deadline. Messages carry Google's error reason
 * and message only — never keys, tokens, assertions or raw response bodies.
 */
final class GoogleSession {

    static final String USER_SCOPE = DirectoryScopes.ADMIN_DIRECTORY_USER_READONLY;
    static final String MEMBER_SCOPE = DirectoryScopes.ADMIN_DIRECTORY_GROUP_MEMBER_READONLY;

    private static final Set<String> THROTTLE_REASONS = Set.of("userRateLimitExceeded", "rateLimitExceeded",
            "quotaExceeded");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 200;

    /** What a request does, for messages: "listing the users of customer my_customer". */
    record Op(String doing, String missing) {
    }

    /** One attempt of a request. */
    private interface Attempt<T> {
        T run() throws IOException, MalformedResponse;
    }

    /** A 2xx answer that is not the expected JSON. */
    private static final class MalformedResponse extends Exception {
        MalformedResponse(Throwable cause) {
            super(cause.getClass().getSimpleName(), cause, false, false);
        }
    }

    private enum Retry {
        NEVER, THROTTLED, TRANSIENT
    }

    /** A failed attempt: what to throw if it is not (or no longer) retried. */
    private record Failure(Retry retry, DirectoryException error, Duration retryAfter) {
    }

    private final GoogleConfig config;
    private final Credentials.Google credentials;
    private final ServiceAccountKey key;
    private final List<String> scopes;
    private final Instant deadline;
    private final ServiceAccountCredentials serviceAccount;
    private final Directory directory;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    GoogleSession(GoogleConfig config, HttpTransport transport, JsonFactory jsonFactory,
            Credentials.Google credentials, List<String> scopes, Instant deadline) throws DirectoryException {
        this.config = config;
        this.credentials = credentials;
        this.key = ServiceAccountKey.parse(credentials.serviceAccountKeyJson());
        this.scopes = List.copyOf(scopes);
        this.deadline = deadline;
        if (credentials.adminSubject() == null || credentials.adminSubject().isBlank()) {
            throw new DirectoryException(Kind.CONFIGURATION, "the connection names no admin subject to impersonate");
        }
        try {
            // Built from the parsed fields, not from the key file, so its token_uri and universe_domain never apply.
            this.serviceAccount = ServiceAccountCredentials.newBuilder()
                    .setClientEmail(key.clientEmail())
                    .setClientId(key.clientId())
                    .setPrivateKeyId(key.privateKeyId())
                    .setPrivateKeyString(key.privateKeyPem())
                    .setProjectId(key.projectId())
                    .setTokenServerUri(config.tokenUri())
                    .setHttpTransportFactory(() -> transport)
                    .setScopes(this.scopes)
                    .setServiceAccountUser(credentials.adminSubject())
                    .setDefaultRetriesEnabled(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new DirectoryException(Kind.CONFIGURATION, "the private_key of the service account key "
                    + key.clientEmail() + " is not a PKCS#8 RSA private key");
        }
        HttpCredentialsAdapter adapter = new HttpCredentialsAdapter(serviceAccount);
        HttpRequestInitializer initializer = request -> {
            adapter.initialize(request);
            // One retry only: the adapter's refresh of a rejected (401) token; every other retry is ours.
            request.setNumberOfRetries(1);
            request.setConnectTimeout(boundedMillis(config.connectTimeout()));
            request.setReadTimeout(boundedMillis(config.readTimeout()));
        };
        this.directory = new Directory.Builder(transport, jsonFactory, initializer)
                .setRootUrl(rootUrl(config.rootUrl()))
                .setApplicationName("usersync")
                .build();
    }

    Directory directory() {
        return directory;
    }

    long requests() {
        return requests.get();
    }

    long throttled() {
        return throttled.get();
    }

    /** "sa@project.iam.gserviceaccount.com as admin@example.com" */
    String identity() {
        return key.clientEmail() + " as " + credentials.adminSubject();
    }

    /** "customer my_customer" or "domain example.com" */
    String scopeOfUsers() {
        return credentials.customerId() != null ? "customer " + credentials.customerId()
                : "domain " + credentials.domain();
    }

    /** Starts a {@code users.list} over the connection's customer or domain. */
    Directory.Users.List listUsers() throws DirectoryException {
        try {
            Directory.Users.List list = directory.users().list();
            if (credentials.customerId() != null) {
                list.setCustomer(credentials.customerId());
            } else if (credentials.domain() != null) {
                list.setDomain(credentials.domain());
            } else {
                throw new DirectoryException(Kind.CONFIGURATION, "the connection names neither a customer id nor a domain");
            }
            return list;
        } catch (IOException e) {
            throw new DirectoryException(Kind.CONFIGURATION, "could not build the users request");
        }
    }

    Directory.Members.List listMembers(String groupKey) throws DirectoryException {
        try {
            return directory.members().list(groupKey);
        } catch (IOException e) {
            throw new DirectoryException(Kind.CONFIGURATION, "could not build the members request");
        }
    }

    /** Obtains an access token (the JWT-bearer grant with delegation), retried like any request. */
    void fetchToken() throws DirectoryException {
        withRetries(new Op("obtaining an access token", null), () -> {
            serviceAccount.refresh();
            return Boolean.TRUE;
        });
    }

    /** Executes a Directory request with the retry policy and parses its page with the SDK's model class. */
    <T> T execute(DirectoryRequest<T> request, Op op) throws DirectoryException {
        return withRetries(op, () -> {
            requests.incrementAndGet();
            HttpResponse response = request.executeUnparsed();
            byte[] body;
            try (InputStream in = response.getContent()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            try {
                T page = directory.getJsonFactory().createJsonParser(new ByteArrayInputStream(body),
                        StandardCharsets.UTF_8).parseAndClose(request.getResponseClass());
                if (page == null) {
                    throw new MalformedResponse(new IllegalArgumentException("empty body"));
                }
                return page;
            } catch (IOException | RuntimeException e) {
                throw new MalformedResponse(e);
            }
        });
    }

    private <T> T withRetries(Op op, Attempt<T> attempt) throws DirectoryException {
        int failures = 0;
        int throttles = 0;
        while (true) {
            if (!Instant.now().isBefore(deadline)) {
                throw timeout(op);
            }
            Failure failure;
            try {
                return attempt.run();
            } catch (MalformedResponse e) {
                throw new DirectoryException(Kind.MALFORMED_RESPONSE, "Google answered " + op.doing()
                        + " with a response that is not a valid page (" + e.getMessage() + ")");
            } catch (GoogleJsonResponseException e) {
                failure = apiFailure(e, op);
            } catch (IOException e) {
                if (!Instant.now().isBefore(deadline) && isTimeout(e)) {
                    throw timeout(op);
                }
                failure = e instanceof Retryable ? tokenFailure(e) : networkFailure(e, op);
            } catch (RuntimeException e) {
                throw new DirectoryException(Kind.PROVIDER_ERROR, "unexpected failure while " + op.doing() + ": "
                        + e.getClass().getSimpleName());
            }
            Duration wait;
            switch (failure.retry()) {
                case NEVER -> throw failure.error();
                case THROTTLED -> {
                    throttled.incrementAndGet();
                    wait = backoff(throttles++);
                    if (failure.retryAfter() != null && failure.retryAfter().compareTo(wait) > 0) {
                        wait = failure.retryAfter();
                    }
                }
                case TRANSIENT -> {
                    if (++failures >= Math.max(1, config.retry().maxAttempts())) {
                        throw failure.error();
                    }
                    wait = backoff(failures - 1);
                }
                default -> throw new IllegalStateException();
            }
            if (!Instant.now().plus(wait).isBefore(deadline)) {
                throw failure.error();
            }
            sleep(wait, op);
        }
    }

    // ---------------------------------------------------------------- failure translation

    private Failure apiFailure(GoogleJsonResponseException e, Op op) {
        int status = e.getStatusCode();
        GoogleJsonError details = e.getDetails();
        String reason = details == null || details.getErrors() == null || details.getErrors().isEmpty() ? null
                : details.getErrors().get(0).getReason();
        String message = clean(details != null && details.getMessage() != null ? details.getMessage()
                : e.getStatusMessage());
        String what = status + (reason == null ? "" : " " + reason) + (message.isEmpty() ? "" : ": " + message);
        if (status == 429 || status == 403 && reason != null && THROTTLE_REASONS.contains(reason)) {
            return new Failure(Retry.THROTTLED, new DirectoryException(Kind.THROTTLED, "Google kept throttling "
                    + op.doing() + " (" + what + ") until the run's time budget was used up"),
                    retryAfter(e.getHeaders() == null ? null : e.getHeaders().getRetryAfter()));
        }
        if (status >= 500) {
            return new Failure(Retry.TRANSIENT, new DirectoryException(Kind.PROVIDER_ERROR, "Google failed "
                    + op.doing() + " (" + what + ")"), null);
        }
        DirectoryException error = switch (status) {
            case 401 -> new DirectoryException(Kind.AUTHENTICATION, "Google refused the access token while "
                    + op.doing() + " (" + what + ")");
            case 403 -> new DirectoryException(Kind.PERMISSION, "Google denied " + op.doing() + " (" + what + "). "
                    + ("insufficientPermissions".equals(reason) ? "The token lacks a scope: authorise "
                            + String.join(",", scopes) + " for client id " + clientId()
                            + " in the domain-wide delegation settings."
                            : "The admin subject " + credentials.adminSubject() + " must be an administrator allowed"
                                    + " to read users" + (scopes.contains(MEMBER_SCOPE) ? " and groups" : "")
                                    + " of " + scopeOfUsers() + "."));
            case 404 -> new DirectoryException(Kind.NOT_FOUND, (op.missing() == null ? "what the pool names"
                    : op.missing()) + " does not exist (" + what + ")");
            case 400 -> message.contains("INVALID_OU_ID") && op.missing() != null
                    ? new DirectoryException(Kind.NOT_FOUND, op.missing() + " does not exist (" + what + ")")
                    : new DirectoryException(Kind.CONFIGURATION, "Google refused " + op.doing() + " as invalid ("
                            + what + "); check the customer id or domain of the connection");
            default -> new DirectoryException(Kind.PROVIDER_ERROR, "Google answered " + what + " while "
                    + op.doing());
        };
        return new Failure(Retry.NEVER, error, null);
    }

    /** A failure of the token request (the SDK marks those {@link Retryable}). */
    private Failure tokenFailure(IOException e) {
        HttpResponseException response = cause(e, HttpResponseException.class);
        if (response == null) {
            return new Failure(Retry.TRANSIENT, new DirectoryException(Kind.NETWORK,
                    "could not reach the Google token endpoint: " + transportProblem(e)), null);
        }
        int status = response.getStatusCode();
        String error = null;
        String description = null;
        try {
            JsonNode body = JSON.readTree(response.getContent());
            error = body.path("error").isTextual() ? body.path("error").asText() : null;
            description = body.path("error_description").isTextual() ? clean(body.path("error_description").asText())
                    : null;
        } catch (Exception ignored) {
            // not JSON: only the status is reported
        }
        String what = (error == null ? "HTTP " + status : error) + (description == null || description.isEmpty() ? ""
                : ": " + description);
        if (status == 429) {
            return new Failure(Retry.THROTTLED, new DirectoryException(Kind.THROTTLED,
                    "Google's token endpoint kept throttling (" + what + ")"), retryAfter(response.getHeaders()
                            .getRetryAfter()));
        }
        if (status >= 500) {
            return new Failure(Retry.TRANSIENT, new DirectoryException(Kind.PROVIDER_ERROR,
                    "Google's token endpoint failed (" + what + ")"), null);
        }
        String lower = description == null ? "" : description.toLowerCase(Locale.ROOT);
        DirectoryException mapped = switch (error == null ? "" : error) {
            case "unauthorized_client", "access_denied" -> new DirectoryException(Kind.PERMISSION,
                    "Google refused domain-wide delegation (" + what + "). In the Google Admin console (Security >"
                            + " Access and data control > API controls > Domain-wide delegation) authorise client id "
                            + clientId() + " for the scopes " + String.join(",", scopes) + ".");
            case "invalid_grant" -> new DirectoryException(Kind.AUTHENTICATION, "Google refused the service account ("
                    + what + "). " + invalidGrantHint(lower));
            case "invalid_client" -> new DirectoryException(Kind.AUTHENTICATION, "Google refused the service account ("
                    + what + "). It may be disabled or deleted; upload a key of an active service account.");
            case "invalid_scope" -> new DirectoryException(Kind.CONFIGURATION, "Google refused the scopes "
                    + String.join(",", scopes) + " (" + what + ")");
            default -> new DirectoryException(Kind.AUTHENTICATION, "Google's token endpoint refused the request ("
                    + what + ")");
        };
        return new Failure(Retry.NEVER, mapped, null);
    }

    private String invalidGrantHint(String description) {
        if (description.contains("email or user id") || description.contains("subject")) {
            return "Check that the admin subject " + credentials.adminSubject() + " is an existing user of the Workspace.";
        }
        if (description.contains("account not found")) {
            return "The service account " + key.clientEmail() + " does not exist (any more).";
        }
        if (description.contains("signature")) {
            return "The key is not (or no longer) a valid key of " + key.clientEmail() + ": upload a current key.";
        }
        if (description.contains("iat") || description.contains("exp") || description.contains("timeframe")) {
            return "Check the clock of the usersync servers.";
        }
        return "Check the service account key and the admin subject " + credentials.adminSubject() + ".";
    }

    private static Failure networkFailure(IOException e, Op op) {
        return new Failure(Retry.TRANSIENT, new DirectoryException(Kind.NETWORK, "the connection to Google failed while "
                + op.doing() + ": " + transportProblem(e)), null);
    }

    private DirectoryException timeout(Op op) {
        return new DirectoryException(Kind.TIMEOUT, "the run's time budget ran out while " + op.doing());
    }

    // ---------------------------------------------------------------- helpers

    private String clientId() {
        return key.clientId() == null ? "(the service account's client id)" : key.clientId();
    }

    private Duration backoff(int attempt) {
        long initial = Math.max(1, config.retry().initialBackoff().toMillis());
        long cap = Math.max(initial, config.retry().maxBackoff().toMillis());
        long ceiling = attempt >= 30 ? cap : Math.min(cap, initial << attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds >= 0 ? Duration.ofSeconds(Math.min(seconds, 3600)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void sleep(Duration wait, Op op) throws DirectoryException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryException(Kind.TIMEOUT, "interrupted while waiting to retry " + op.doing());
        }
    }

    /** A timeout never longer than what is left until the deadline (at least 1 ms: 0 would mean "forever"). */
    private int boundedMillis(Duration configured) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        return (int) Math.max(1, Math.min(Math.min(configured.toMillis(), left), Integer.MAX_VALUE));
    }

    private static boolean isTimeout(IOException e) {
        return cause(e, SocketTimeoutException.class) != null;
    }

    private static String transportProblem(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + clean(root.getMessage());
        return root.getClass().getSimpleName() + message;
    }

    private static <E extends Throwable> E cause(Throwable e, Class<E> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Provider text for messages: one line, no control characters, bounded. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.codePoints().map(cp -> Character.isISOControl(cp) ? ' ' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return oneLine.length() > MAX_DETAIL ? oneLine.substring(0, MAX_DETAIL) + "…" : oneLine;
    }

    private static String rootUrl(String configured) {
        return configured.endsWith("/") ? configured : configured + "/";
    }
}
