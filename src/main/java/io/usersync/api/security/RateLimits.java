package io.usersync.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.usersync.api.error.Problem;
import io.usersync.common.SettingsCheck;
import io.usersync.common.error.ProblemType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The API's request limits ({@link RateLimitConfig}), answered with 429 problem+json ({@code rate-limited}) and a
 * {@code Retry-After} in seconds:
 * <ul>
 * <li>per client address, before anything else is done for the request;</li>
 * <li>per address for failed authentication: every 401 spends from a small bucket, and while it is empty every
 * request from the address is refused before its credentials are looked at;</li>
 * <li>per authenticated caller (token issuer and subject, or API key), once the caller is known.</li>
 * </ul>
 * Only {@code /api/*} is limited; health, metrics and the OpenAPI document never are.
 */
@ApplicationScoped
public class RateLimits implements SettingsCheck {

    @Inject
    RateLimitConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    SecurityIdentity identity;

    @Inject
    MeterRegistry registry;

    private RateLimiter perAddress;
    private RateLimiter failures;
    private RateLimiter perCaller;

    @PostConstruct
    void init() {
        if (problems().isEmpty()) {
            perAddress = new RateLimiter(config.perAddressRequests(), config.perAddressPeriod(),
                    config.maxTrackedKeys());
            failures = new RateLimiter(config.failedAuthenticationRequests(), config.failedAuthenticationPeriod(),
                    config.maxTrackedKeys());
            perCaller = new RateLimiter(config.perCallerRequests(), config.perCallerPeriod(), config.maxTrackedKeys());
        }
    }

    void install(@Observes Router router) {
        if (!config.enabled()) {
            return;
        }
        router.route("/api/*").order(Integer.MIN_VALUE + 1).handler(this::limitAddress);
    }

    private void limitAddress(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        String address = remote == null ? "unknown" : remote.hostAddress();
        long wait = failures.waitFor(address);
        if (wait > 0) {
            refuse(ctx, "failed-authentication", wait, "Too many requests with invalid credentials from this "
                    + "address; retry later");
            return;
        }
        wait = perAddress.tryTake(address);
        if (wait > 0) {
            refuse(ctx, "address", wait, "Too many requests from this address; retry later");
            return;
        }
        ctx.addHeadersEndHandler(done -> {
            if (ctx.response().getStatusCode() == 401) {
                failures.spend(address);
            }
        });
        ctx.next();
    }

    /** Per-caller limit, once authentication has established who calls (before idempotency and the resource). */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public Response limitCaller(ContainerRequestContext request) {
        if (!config.enabled() || identity.isAnonymous()) {
            return null;
        }
        String caller = identity.getAttribute(TenantClaims.CALLER_KEY_ATTRIBUTE);
        if (caller == null) {
            return null;
        }
        long wait = perCaller.tryTake(caller);
        if (wait <= 0) {
            return null;
        }
        count("caller");
        return Response.status(429).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.RETRY_AFTER.toString(), RateLimiter.retryAfterSeconds(wait))
                .entity(Problem.of(ProblemType.RATE_LIMITED, "Too many requests from this caller; retry later",
                        request.getUriInfo().getRequestUri().getRawPath(), null))
                .build();
    }

    private void refuse(RoutingContext ctx, String limit, long waitNanos, String detail) {
        count(limit);
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(Problem.of(ProblemType.RATE_LIMITED, detail, ctx.request().path(), null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = new byte[0];
        }
        // the body of a refused upload is not wanted: close rather than drain it
        boolean hasBody = ctx.request().headers().contains(HttpHeaders.CONTENT_LENGTH)
                || ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING);
        var response = ctx.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(RateLimiter.retryAfterSeconds(waitNanos)));
        if (hasBody) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(Buffer.buffer(body));
    }

    private void count(String limit) {
        registry.counter("usersync.rate.limited", "limit", limit).increment();
    }

    /** Keys tracked per limit, for tests and metrics: [address, failures, caller]. */
    long[] trackedKeys() {
        return new long[] { perAddress.trackedKeys(), failures.trackedKeys(), perCaller.trackedKeys() };
    }

    @Override
    public void check(BiConsumer<String, String> problem) {
        problems().forEach(p -> problem.accept(p[0], p[1]));
    }

    private java.util.List<String[]> problems() {
        java.util.List<String[]> problems = new java.util.ArrayList<>();
        positive(problems, "per-caller-requests", config.perCallerRequests());
        positive(problems, "per-address-requests", config.perAddressRequests());
        positive(problems, "failed-authentication-requests", config.failedAuthenticationRequests());
        positive(problems, "max-tracked-keys", config.maxTrackedKeys());
        for (var period : java.util.Map.of("per-caller-period", config.perCallerPeriod(), "per-address-period",
                config.perAddressPeriod(), "failed-authentication-period", config.failedAuthenticationPeriod())
                .entrySet()) {
            Duration value = period.getValue();
            if (value.isNegative() || value.isZero()) {
                problems.add(new String[] { "usersync.rate-limit." + period.getKey(),
                        "must be a positive duration (is " + value + ")" });
            }
        }
        return problems;
    }

    private static void positive(java.util.List<String[]> problems, String name, int value) {
        if (value < 1) {
            problems.add(new String[] { "usersync.rate-limit." + name, "must be at least 1 (is " + value + ")" });
        }
    }
}
