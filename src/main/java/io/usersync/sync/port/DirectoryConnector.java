package io.usersync.sync.port;

import java.time.Instant;

/**
 * The port through which directories enter usersync. One adapter per {@link Provider}, each built on the
 * provider's official SDK; where the SDK connects (base URLs, token endpoints) is operator configuration only.
 * <p>
 * Reading is pull-based and blocking: the engine calls {@link PoolReader#next()} from a worker thread and
 * overlaps fetching the next page with processing the current one. An adapter retries transient failures and
 * honours throttling ({@code Retry-After}, back-off with jitter) until {@code deadline}; any failure it cannot
 * recover from ends the read with a {@link DirectoryException}, and the engine then applies nothing.
 */
public interface DirectoryConnector {

    Provider provider();

    /**
     * Checks the credentials: obtains a token and reads one user.
     *
     * @return a short description of what was read (e.g. "read user alice@example.com")
     * @throws DirectoryException with a secret-free message when the check fails
     */
    String testConnection(Credentials credentials, Instant deadline) throws DirectoryException;

    /**
     * Opens a read of the pool.
     *
     * @param mode       {@link ReadMode#DELTA} only when {@link #supportsDelta(PoolSpec)} and a token is known
     * @param deltaToken the token returned by the previous read, for {@link ReadMode#DELTA}
     */
    PoolReader open(Credentials credentials, PoolSpec pool, ReadMode mode, String deltaToken, Instant deadline)
            throws DirectoryException;

    /** Whether incremental reads exist for this pool (M365 all-users scope). */
    default boolean supportsDelta(PoolSpec pool) {
        return false;
    }

    /** A read in progress; pages come in order, each once. */
    interface PoolReader extends AutoCloseable {

        /**
         * The next page, or null when the pool has been read completely.
         *
         * @throws DirectoryException when the read cannot be completed
         */
        DirectoryPage next() throws DirectoryException;

        /**
         * After a complete read: the token for the next incremental read, or null when the pool has none.
         */
        String deltaToken();

        /** Provider requests made so far and how many of them were throttled (for the run's statistics). */
        default long requests() {
            return 0;
        }

        default long throttled() {
            return 0;
        }

        @Override
        default void close() {
        }
    }
}
