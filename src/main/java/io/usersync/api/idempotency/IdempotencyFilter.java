package io.usersync.api.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.usersync.api.error.Problem;
import io.usersync.api.security.TenantClaims;
import io.usersync.common.error.DomainException.FieldProblem;
import io.usersync.common.error.ProblemType;
import io.usersync.common.idempotency.IdempotencyStore;
import io.usersync.common.idempotency.IdempotencyStore.Claim;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Safe retries of every POST: a request with an {@code Idempotency-Key} header (1 to 255 printable ASCII
 * characters) runs at most once per caller and key while the record is kept ({@code usersync.idempotency.
 * retention}, at least 24 h):
 * <ul>
 * <li>the first request claims the key before it runs, and its answer (status, body, Content-Type, Location) is
 * recorded after it;</li>
 * <li>a retry with the same request (method, path, query, Content-Type and body, byte for byte) gets that answer
 * again, marked {@code Idempotency-Replayed: true}, without running anything;</li>
 * <li>the same key with a different request answers 422 {@code idempotency-key-reused};</li>
 * <li>a duplicate arriving while the first still runs answers 409 {@code idempotency-key-in-use} with
 * {@code Retry-After}; one whose first request never finished (its replica stopped) says the outcome is unknown,
 * and is never run a second time;</li>
 * <li>answers that say nothing happened (429, 503, and 409 {@code concurrent-modification}) are not recorded, so
 * the retry runs.</li>
 * </ul>
 * Keys are per caller (a token's issuer and subject, or an API key), so callers cannot see each other's answers.
 */
@ApplicationScoped
public class IdempotencyFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";
    private static final String CLAIMED = "usersync.idempotency.claimed";

    @Inject
    IdempotencyStore store;

    @Inject
    SecurityIdentity identity;

    @Inject
    ObjectMapper mapper;

    private record Claimed(byte[] caller, byte[] key) {
    }

    /** After authentication and the per-caller limit, before the resource. */
    @ServerRequestFilter(priority = Priorities.USER)
    public Response claim(ContainerRequestContext request) throws IOException {
        String key = request.getHeaderString(HEADER);
        if (key == null || !"POST".equals(request.getMethod())) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)
                || key.isBlank()) {
            return problem(request, ProblemType.INVALID_REQUEST, "The Idempotency-Key header must be 1 to 255 "
                    + "printable ASCII characters", List.of(new FieldProblem(HEADER, "1 to 255 printable ASCII "
                            + "characters")), null);
        }
        String caller = identity.isAnonymous() ? null : identity.getAttribute(TenantClaims.CALLER_KEY_ATTRIBUTE);
        if (caller == null) {
            return null; // not authenticated: refused before anything runs
        }
        byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
        request.setEntityStream(new ByteArrayInputStream(body));
        byte[] callerHash = sha256(caller.getBytes(StandardCharsets.UTF_8));
        byte[] keyHash = sha256(key.getBytes(StandardCharsets.US_ASCII));
        byte[] requestHash = sha256(("POST\0" + request.getUriInfo().getRequestUri().getRawPath() + "\0"
                + String.valueOf(request.getUriInfo().getRequestUri().getRawQuery()) + "\0"
                + String.valueOf(request.getHeaderString(HttpHeaders.CONTENT_TYPE)) + "\0")
                .getBytes(StandardCharsets.UTF_8), body);
        Claim claim = store.claim(callerHash, keyHash, requestHash);
        return switch (claim) {
            case IdempotencyStore.Run run -> {
                request.setProperty(CLAIMED, new Claimed(callerHash, keyHash));
                yield null;
            }
            case IdempotencyStore.Replay replay -> {
                Response.ResponseBuilder answer = Response.status(replay.status()).header(REPLAYED, "true");
                if (replay.contentType() != null) {
                    answer.header(HttpHeaders.CONTENT_TYPE, replay.contentType());
                }
                if (replay.location() != null) {
                    answer.header(HttpHeaders.LOCATION, replay.location());
                }
                yield answer.entity(replay.body() == null || replay.body().length == 0 ? null : replay.body())
                        .build();
            }
            case IdempotencyStore.Mismatch mismatch -> problem(request, ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for a different request (method, path or body); use a new key",
                    List.of(new FieldProblem(HEADER, "already used for a different request")), null);
            case IdempotencyStore.InProgress inProgress -> problem(request, ProblemType.IDEMPOTENCY_KEY_IN_USE,
                    "A request with this Idempotency-Key is still running; retry shortly to get its answer", null, "1");
            case IdempotencyStore.Abandoned abandoned -> problem(request, ProblemType.IDEMPOTENCY_KEY_IN_USE,
                    "The request with this Idempotency-Key started at " + abandoned.startedAt() + " and never "
                            + "finished (the service stopped); whether it took effect is unknown, so it is not run "
                            + "again: check the resource, and use a new key to try again", null, null);
        };
    }

    /** Records the answer of a request that claimed a key (mapped failures included). */
    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIMED) instanceof Claimed claimed)) {
            return;
        }
        request.removeProperty(CLAIMED);
        int status = response.getStatus();
        Object entity = response.getEntity();
        if (status == 429 || status == 503 || (entity instanceof Problem problem
                && ProblemType.CONCURRENT_MODIFICATION.code().equals(problem.code()))) {
            store.release(claimed.caller(), claimed.key());
            return;
        }
        byte[] body;
        try {
            body = entity == null ? new byte[0] : entity instanceof byte[] bytes ? bytes
                    : entity instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : mapper.writeValueAsBytes(entity);
        } catch (IOException e) {
            store.release(claimed.caller(), claimed.key());
            return;
        }
        Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
        store.complete(claimed.caller(), claimed.key(), status,
                response.getMediaType() == null ? null : response.getMediaType().toString(),
                location == null ? null : location.toString(), body);
    }

    private static Response problem(ContainerRequestContext request, ProblemType type, String detail,
            List<FieldProblem> fields, String retryAfter) {
        Response.ResponseBuilder answer = Response.status(type.status()).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, detail, request.getUriInfo().getRequestUri().getRawPath(), fields));
        if (retryAfter != null) {
            answer.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return answer.build();
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
