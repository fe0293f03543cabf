package io.usersync.emulator.graph;

/** Failures the emulator injects when a chosen page of a listing (users, delta, group members) is requested. */
public enum GraphFault {
    /** HTTP 500 with an OData error body. */
    SERVER_ERROR(500),
    /** HTTP 503 with an OData error body (and {@code Retry-After} when the rule gives one). */
    SERVICE_UNAVAILABLE(503),
    /** HTTP 504 with an OData error body (and {@code Retry-After} when the rule gives one). */
    GATEWAY_TIMEOUT(504),
    /** HTTP 429 with {@code Retry-After} as Graph throttles. */
    TOO_MANY_REQUESTS(429),
    /** HTTP 200 whose body is cut off in the middle of the JSON. */
    MALFORMED_JSON(200),
    /** The TCP connection is closed without any response. */
    CONNECTION_RESET(0);

    final int status;

    GraphFault(int status) {
        this.status = status;
    }
}
