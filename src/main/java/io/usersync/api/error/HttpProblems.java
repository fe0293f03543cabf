package io.usersync.api.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.usersync.common.error.DomainException.FieldProblem;
import io.usersync.common.error.ProblemType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Refuses API requests whose announced body exceeds {@link ApiConfig#maxBodySize()} with 413 problem+json,
 * before the body is read. (Quarkus's own limit, {@code quarkus.http.limits.max-body-size}, answers with an
 * empty body; it stays as the hard ceiling for bodies sent without a Content-Length.)
 */
@ApplicationScoped
public class HttpProblems {

    @Inject
    ObjectMapper mapper;

    @Inject
    ApiConfig config;

    void install(@Observes Router router) {
        long limit = config.maxBodySize().asLongValue();
        router.route("/api/*").order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, limit)) {
                write(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is larger than " + limit + " bytes",
                        List.of(new FieldProblem("body", "too large")));
            } else {
                ctx.next();
            }
        });
    }

    private static boolean tooLong(String length, long limit) {
        try {
            return Long.parseLong(length.strip()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length itself
        }
    }

    private void write(RoutingContext ctx, ProblemType type, String detail, List<FieldProblem> fields) {
        try {
            byte[] body = mapper.writeValueAsBytes(Problem.of(type, detail, ctx.request().path(), fields));
            // the unread body may be huge: close the connection rather than drain it
            ctx.response().setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).end(Buffer.buffer(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.response().setStatusCode(type.status()).end();
        }
    }
}
