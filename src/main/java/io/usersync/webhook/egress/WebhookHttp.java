package io.usersync.webhook.egress;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The HTTP client of webhook deliveries, hardened for URLs that tenants choose: every connection goes through
 * {@link GuardedDns} and {@link GuardedSocketFactory} (the address actually connected is checked), no proxy, no
 * redirects (a 3xx is a failed attempt), a connect time-out and a time-out for the whole attempt (connect, send,
 * wait, read), and at most {@code maxResponseBytes} of the answer are read (the rest is discarded with the
 * connection). Only a 2xx answer is a success.
 */
public final class WebhookHttp {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final int EXCERPT_CHARS = 1000;
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

    /** Limits of one attempt. */
    public record Settings(boolean allowLoopback, Duration connectTimeout, Duration timeout, int maxResponseBytes,
            int maxIdleConnections) {
    }

    /**
     * What one attempt got.
     *
     * @param statusCode   the HTTP status, null when there was no answer
     * @param error        why it failed without an answer (refused by the SSRF policy, time-out, ...), else null
     * @param responseBody the start of the answer's body (at most 1000 characters), for the delivery log
     * @param retryAfter   the answer's {@code Retry-After}, capped at 24 h, or null
     * @param refused      whether the SSRF policy refused the address (nothing was sent)
     */
    public record Result(Integer statusCode, long latencyMs, String error, String responseBody, Duration retryAfter,
            boolean refused) {
        public boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final OkHttpClient client;
    private final Settings settings;

    public WebhookHttp(Settings settings, Resolver resolver) {
        this.settings = settings;
        this.client = new OkHttpClient.Builder()
                .dns(new GuardedDns(resolver, settings.allowLoopback()))
                .socketFactory(new GuardedSocketFactory(settings.allowLoopback()))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.timeout())
                .writeTimeout(settings.timeout())
                .callTimeout(settings.timeout())
                .connectionPool(new ConnectionPool(Math.max(1, settings.maxIdleConnections()), 1, TimeUnit.MINUTES))
                .build();
    }

    /** POSTs the body with the given headers; never throws for anything the remote side does. */
    public Result post(String url, Map<String, String> headers, byte[] body) {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
                .header("User-Agent", "usersync-webhooks/1.0");
        headers.forEach(request::header);
        long start = System.nanoTime();
        try (Response response = client.newCall(request.build()).execute()) {
            String excerpt = readCapped(response.body());
            return new Result(response.code(), millisSince(start), null, excerpt,
                    retryAfter(response.header("Retry-After")), false);
        } catch (IOException e) {
            return new Result(null, millisSince(start), describe(e), null, null, refused(e));
        } catch (RuntimeException e) {
            // okhttp reports some malformed answers as IllegalStateException / IllegalArgumentException
            return new Result(null, millisSince(start), "invalid answer: " + e.getMessage(), null, null, false);
        }
    }

    /** Closes pooled connections (shutdown). */
    public void close() {
        client.connectionPool().evictAll();
    }

    private String readCapped(ResponseBody body) throws IOException {
        if (body == null) {
            return null;
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        long cap = settings.maxResponseBytes();
        while (buffer.size() < cap) {
            long read = source.read(buffer, Math.min(8192, cap - buffer.size()));
            if (read == -1) {
                break;
            }
        }
        String text = buffer.readString(Math.min(buffer.size(), EXCERPT_CHARS * 4L), StandardCharsets.UTF_8);
        StringBuilder clean = new StringBuilder();
        text.codePoints().limit(EXCERPT_CHARS).forEach(c -> clean.appendCodePoint(Character.isISOControl(c)
                && c != '\n' ? ' ' : c));
        return clean.isEmpty() ? null : clean.toString();
    }

    private static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            try {
                wait = Duration.between(Instant.now(), ZonedDateTime.parse(header.strip(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (RuntimeException unparsable) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EgressRefused || t instanceof GuardedDns.RefusedHost) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (refused(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EgressRefused || t instanceof GuardedDns.RefusedHost) {
                return t.getMessage();
            }
        }
        for (Throwable s : e.getSuppressed()) {
            if (s instanceof IOException io && refused(io)) {
                return describe(io);
            }
        }
        String text = switch (e) {
            case UnknownHostException u -> "the host does not resolve: " + u.getMessage();
            case InterruptedIOException t -> "no answer within " + settings.timeout().toMillis() + " ms";
            case ConnectException c -> "could not connect: " + c.getMessage();
            case SSLException s -> "TLS failed: " + s.getMessage();
            default -> e.getClass().getSimpleName() + ": " + e.getMessage();
        };
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
