package io.usersync.emulator.google;

/** Failures the emulator can answer a request with, each exactly as Google sends it. */
public enum GoogleFault {
    /** 500 {@code backendError} "Internal error encountered." */
    SERVER_ERROR,
    /** 503 {@code backendError} "The service is currently unavailable." */
    SERVICE_UNAVAILABLE,
    /** 200 with a body that is not valid JSON (cut off mid-page). */
    MALFORMED_JSON,
    /** The TCP connection is closed without any response. */
    CONNECTION_RESET,
    /** 403 {@code usageLimits/userRateLimitExceeded}. */
    USER_RATE_LIMIT_EXCEEDED,
    /** 403 {@code usageLimits/rateLimitExceeded}. */
    RATE_LIMIT_EXCEEDED,
    /** 403 {@code usageLimits/quotaExceeded}. */
    QUOTA_EXCEEDED,
    /** 429 {@code rateLimitExceeded} (RESOURCE_EXHAUSTED), with {@code Retry-After} when the rule gives one. */
    TOO_MANY_REQUESTS
}
