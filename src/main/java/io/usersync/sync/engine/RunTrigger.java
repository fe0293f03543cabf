package io.usersync.sync.engine;

/** What started a run. */
public enum RunTrigger {
    /** The connection's schedule. */
    SCHEDULE,
    /** An admin asked for it (possibly as a dry run). */
    MANUAL,
    /** The deny list changed: re-evaluated from the last read of the pool, without a provider fetch. */
    DENY_LIST
}
