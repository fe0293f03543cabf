package io.usersync.api.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.usersync.common.Ids;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.DomainException.FieldProblem;
import io.usersync.common.error.ProblemType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.StaleStateException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every exception that can leave a resource is turned into problem+json here, and only here. Stack traces are
 * logged (with an error id the client also receives), never sent.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @jakarta.inject.Inject
    AbortedRequests aborted;
    private static final java.util.regex.Pattern PLAIN_KEY = java.util.regex.Pattern.compile("[A-Za-z0-9_$-]{1,100}");

    @ServerExceptionMapper
    public Response domain(DomainException e, UriInfo uri) {
        return respond(e.type(), e.getMessage(), uri, e.fields());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<FieldProblem> fields = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            fields.add(new FieldProblem(fieldName(violation.getPropertyPath()), violation.getMessage()));
        }
        fields.sort(java.util.Comparator.comparing(FieldProblem::field));
        String detail = fields.stream().map(f -> f.field() + ": " + f.message()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return respond(ProblemType.INVALID_REQUEST, detail, uri, fields);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = jsonPath(e);
        return respond(ProblemType.UNKNOWN_FIELD, "Unknown field '" + field + "'", uri,
                List.of(new FieldProblem(field, "is not a field of this request")));
    }

    /** Takes precedence over Quarkus's built-in mapper, which would answer plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            return respond(ProblemType.PAYLOAD_TOO_LARGE, "The JSON document exceeds a size limit", uri,
                    List.of(new FieldProblem("body", "too large or too deeply nested")));
        }
        // syntax errors first, also when data binding wrapped them with the path of an enclosing object
        JsonParseException parse = e instanceof JsonParseException p ? p
                : e.getCause() instanceof JsonParseException p ? p : null;
        if (parse != null) {
            String duplicate = duplicateField(parse);
            if (duplicate != null) {
                return respond(ProblemType.MALFORMED_JSON, "Field '" + duplicate + "' appears more than once", uri,
                        List.of(new FieldProblem(duplicate, "appears more than once")));
            }
            String field = syntaxErrorField(parse);
            return respond(ProblemType.MALFORMED_JSON, field.equals("body") ? "The request body is not valid JSON"
                    : "The value of '" + field + "' is not valid JSON", uri,
                    List.of(new FieldProblem(field, "is not valid JSON")));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = jsonPath(mapping);
            return respond(ProblemType.INVALID_REQUEST, "Field '" + field + "' has the wrong type or format", uri,
                    List.of(new FieldProblem(field, "has the wrong type or format")));
        }
        return respond(ProblemType.INVALID_REQUEST, "The request body does not have the expected shape", uri,
                List.of(new FieldProblem("body", "does not have the expected shape")));
    }


    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class,
            AuthenticationCompletionException.class })
    public Response unauthenticated(Exception e, UriInfo uri) {
        Problem problem = Problem.of(ProblemType.UNAUTHENTICATED,
                "Send a valid, unexpired bearer token issued for this service", path(uri), null);
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(problem).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(ProblemType.FORBIDDEN, "Your role does not allow this operation", uri, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e instanceof NotFoundException) {
            return respond(ProblemType.NOT_FOUND, "No resource at this path", uri, null);
        }
        if (e instanceof NotAllowedException) {
            return respond(ProblemType.METHOD_NOT_ALLOWED, "This method is not allowed on this path", uri, null);
        }
        if (e instanceof NotSupportedException) {
            return respond(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json", uri,
                    List.of(new FieldProblem("Content-Type", "must be application/json")));
        }
        if (e instanceof NotAcceptableException) {
            return respond(ProblemType.NOT_ACCEPTABLE, "This resource answers application/json", uri, null);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status == 413) {
            return respond(ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large", uri,
                    List.of(new FieldProblem("body", "too large")));
        }
        if (status >= 400 && status < 500) {
            Throwable cause = e.getCause();
            if (cause instanceof JsonProcessingException json) {
                return json(json, uri);
            }
            return respond(ProblemType.INVALID_REQUEST, "The request is not valid", uri, null);
        }
        return unexpected(e, uri);
    }

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class,
            PessimisticLockException.class, LockAcquisitionException.class })
    public Response concurrent(Exception e, UriInfo uri) {
        return respond(ProblemType.CONCURRENT_MODIFICATION,
                "The resource was changed by another request at the same time; retry", uri, null);
    }

    @ServerExceptionMapper({ JDBCConnectionException.class, SQLTransientConnectionException.class })
    public Response databaseDown(Exception e, UriInfo uri) {
        LOG.warnf("database unavailable: %s", e.getMessage());
        return Response.status(503).type(Problem.MEDIA_TYPE).header(HttpHeaders.RETRY_AFTER, "5")
                .entity(Problem.of(ProblemType.UNAVAILABLE, "The database is unavailable; retry shortly", path(uri),
                        null))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Throwable root = rootCause(e);
        if (root instanceof DomainException domain) {
            return domain(domain, uri);
        }
        // failures raised at commit arrive wrapped (RollbackException, PersistenceException): classify by cause
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isConcurrencyFailure(t)) {
                return concurrent((Exception) t, uri);
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException
                    || t instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return respond(ProblemType.CONFLICT, "The change conflicts with data changed at the same time; "
                        + "reload and retry", uri, null);
            }
        }
        if (clientWentAway(e)) {
            // the client closed the connection while sending its body (or the service closed a stalled upload
            // while stopping): nothing was done, and nobody reads this answer
            LOG.debugf("request to %s ended: the connection closed before its body arrived", path(uri));
            aborted.finished();
            return respond(ProblemType.INCOMPLETE_REQUEST, "The connection closed before the request body was "
                    + "received; nothing was done", uri, List.of(new FieldProblem("body", "incomplete")));
        }
        if (root instanceof SQLTransientConnectionException || root instanceof java.net.ConnectException
                || (root instanceof SQLException sql && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("08"))) {
            return databaseDown((Exception) root, uri);
        }
        String errorId = Ids.newId().toString();
        LOG.errorf(e, "unexpected error %s on %s", errorId, path(uri));
        return respond(ProblemType.INTERNAL, "Unexpected error; quote error id " + errorId + " to support", uri,
                null);
    }

    /** Whether reading the request failed because its connection closed (Vert.x reports it as an IOException). */
    static boolean clientWentAway(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 20; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /** Lost optimistic-lock races, deadlocks (SQLSTATE 40001) and lock-wait timeouts: the client may retry. */
    private static boolean isConcurrencyFailure(Throwable t) {
        return t instanceof OptimisticLockException || t instanceof StaleStateException
                || t instanceof PessimisticLockException || t instanceof LockAcquisitionException
                || (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || sql.getErrorCode() == 1205
                        || sql.getErrorCode() == 1213));
    }

    static Response respond(ProblemType type, String detail, UriInfo uri, List<FieldProblem> fields) {
        return Response.status(type.status()).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(type, detail, path(uri), fields)).build();
    }

    private static String path(UriInfo uri) {
        try {
            return uri == null ? null : uri.getRequestUri().getRawPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable current = e;
        int depth = 0;
        while (current.getCause() != null && current.getCause() != current && depth++ < 20) {
            if (current instanceof DomainException) {
                return current;
            }
            current = current.getCause();
        }
        return current;
    }

    /**
     * Where the JSON text broke: the path of the member whose value was being read ({@code administrator.email}
     * for {@code {"administrator":{"email":NaN}}}), or {@code body} when it broke between members, in an array or
     * at the end of a truncated document.
     */
    static String syntaxErrorField(JsonParseException e) {
        try {
            // only a broken value is that member's; a truncated document or broken punctuation is the body's
            String message = String.valueOf(e.getOriginalMessage());
            if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException || message.contains("was expecting comma")
                    || message.contains("was expecting double-quote to start field name")
                    || message.contains("was expecting a colon") || message.contains("was expecting closing")) {
                return "body";
            }
            if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser parser) {
                java.util.Deque<String> steps = new java.util.ArrayDeque<>();
                for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
                    if (c.inObject() && c.getCurrentName() != null) {
                        StringBuilder key = new StringBuilder("x");
                        appendKey(key, c.getCurrentName());
                        steps.push(key.substring(1));
                    } else if (c.inArray()) {
                        steps.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
                    }
                }
                String path = String.join("", steps);
                path = path.startsWith(".") ? path.substring(1) : path;
                return path.isEmpty() || path.length() > 200 ? "body" : path;
            }
        } catch (RuntimeException ignored) {
            // the parser is in no state to tell: name the body
        }
        return "body";
    }

    /** The key named by a strict-duplicate-detection failure ("Duplicate field 'x'"), or null. */
    private static String duplicateField(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        String prefix = "Duplicate field '";
        if (message == null || !message.startsWith(prefix) || message.indexOf('\'', prefix.length()) < 0) {
            return null;
        }
        String name = message.substring(prefix.length(), message.indexOf('\'', prefix.length()));
        return name.isEmpty() || name.length() > 100 ? "body" : name;
    }

    /** JSON path of a mapping error, e.g. {@code administrator.email} or {@code items[3].email}. */
    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                appendKey(path, ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /**
     * Appends a key to a field path: {@code a.b} for plain keys, {@code a["x y"]} (JSON-escaped, shortened) for
     * keys that are blank, long or contain other characters, so every field stays visible and unambiguous.
     */
    static void appendKey(StringBuilder path, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            if (!path.isEmpty()) {
                path.append('.');
            }
            path.append(key);
            return;
        }
        String shown = key.length() > 60 ? key.substring(0, 60) + "..." : key;
        path.append("[\"");
        shown.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                path.append('\\').append((char) c);
            } else if (c < 0x20 || c > 0x7E) {
                path.append(String.format("\\u%04x", c));
            } else {
                path.append((char) c);
            }
        });
        path.append("\"]");
    }

    /** Last bean-property node of a violation path: {@code create.body.firstName} becomes {@code firstName}. */
    private static String fieldName(Path path) {
        StringBuilder name = new StringBuilder();
        boolean inBody = false;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case PROPERTY, CONTAINER_ELEMENT -> {
                    if (!name.isEmpty()) {
                        name.append('.');
                    }
                    name.append(node.getName());
                }
                case PARAMETER -> {
                    name.setLength(0);
                    name.append(node.getName());
                    inBody = true;
                }
                default -> {
                }
            }
        }
        String result = name.toString();
        if (inBody && result.contains(".")) {
            // a body parameter: drop the Java parameter name, keep the JSON path
            result = result.substring(result.indexOf('.') + 1);
        }
        return result.isEmpty() ? "request" : result;
    }
}
