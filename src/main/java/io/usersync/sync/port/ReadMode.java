package io.usersync.sync.port;

/** How to read the pool. */
public enum ReadMode {
    /** Every user of the pool. For the all-users scope on M365 this also yields a fresh delta token. */
    FULL,
    /** Only what changed since the delta token (M365 {@code /users/delta}, all-users scope only). */
    DELTA
}
