package io.usersync.common.error;

/**
 * The single table from failure kind to HTTP status. Every error the API returns is one of these, rendered as
 * RFC 9457 problem+json whose {@code type} is {@code https://usersync.io/problems/<code>} and whose
 * {@code code} is the stable machine-readable name below.
 */
public enum ProblemType {
    INVALID_REQUEST(400, "The request is not valid"),
    MALFORMED_JSON(400, "The request body is not valid JSON"),
    UNKNOWN_FIELD(400, "The request body has a field this endpoint does not accept"),
    INVALID_ID(400, "An identifier in the request is not a valid id"),
    INCOMPLETE_REQUEST(400, "The request body was not received completely"),
    UNAUTHENTICATED(401, "A valid bearer token is required"),
    FORBIDDEN(403, "Your role does not allow this operation"),
    NOT_FOUND(404, "No such resource"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "The requested media type is not available"),
    CONFLICT(409, "The request conflicts with the current state"),
    EMAIL_TAKEN(409, "Another user of this client account already has this email"),
    LAST_ADMINISTRATOR(409, "A client account must keep at least one active administrator"),
    ADMINISTRATOR_MUST_BE_DEMOTED(409, "Remove the administrator role before deactivating this user"),
    USER_LIMIT_REACHED(409, "The client account is at its user limit"),
    CONCURRENT_MODIFICATION(409, "The resource was changed concurrently; retry"),
    IDEMPOTENCY_KEY_IN_USE(409, "A request with this Idempotency-Key has not finished"),
    // billing: annual contracts and licence plans
    CONTRACT_REQUIRED(409, "A client account is ANNUAL only while an annual contract covers it"),
    CONTRACT_IN_EFFECT(409, "An annual contract covers the client account; it stays ANNUAL until the contract ends"),
    CONTRACT_OVERLAP(409, "The contract overlaps another contract of this client account"),
    CONTRACT_DOWNGRADE_REFUSED(409, "A contract cannot move to fewer blocks before its renewal"),
    LICENCE_PLAN_OVERLAP(409, "The licence plan overlaps another plan of this client account"),
    PAYLOAD_TOO_LARGE(413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    UNPROCESSABLE(422, "The request cannot be processed in the current state"),
    IDEMPOTENCY_KEY_REUSED(422, "The Idempotency-Key was already used for a different request"),
    RATE_LIMITED(429, "Too many requests"),
    INTERNAL(500, "Internal error"),
    UNAVAILABLE(503, "A dependency is unavailable; retry later");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Stable kebab-case code used in the problem {@code type} URI and the {@code code} member. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
