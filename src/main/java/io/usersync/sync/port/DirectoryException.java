package io.usersync.sync.port;

/**
 * The pool could not be read completely. The message is shown to tenant admins and stored with the run, so it
 * never contains secrets, tokens or raw provider bodies beyond the provider's error code and message.
 */
public class DirectoryException extends Exception {

    /** Why the read failed. */
    public enum Kind {
        /** The credentials were refused or a token could not be obtained. */
        AUTHENTICATION,
        /** The credentials lack a permission (e.g. Directory.Read.All, domain-wide delegation scope). */
        PERMISSION,
        /** A group, org unit or customer of the pool does not exist. */
        NOT_FOUND,
        /** Throttled until the run's time budget was used up. */
        THROTTLED,
        /** The run's time budget ran out. */
        TIMEOUT,
        /** The stored delta token is no longer valid (410 Gone / syncStateNotFound): do a full read. */
        DELTA_EXPIRED,
        /** The provider answered something that is not a valid page. */
        MALFORMED_RESPONSE,
        /** Connection reset, DNS, TLS and other transport failures. */
        NETWORK,
        /** Any other provider error (5xx after retries, unexpected 4xx). */
        PROVIDER_ERROR,
        /** The connection's settings are incomplete or invalid. */
        CONFIGURATION
    }

    private final Kind kind;

    public DirectoryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DirectoryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
