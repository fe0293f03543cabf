package io.usersync.sync.engine;

/** Life of a sync run. */
public enum RunStatus {
    /** Requested, waiting for a worker (and the connection's lease). */
    QUEUED,
    RUNNING,
    SUCCEEDED,
    /** Could not read the whole pool, or could not apply: nothing (or, if interrupted, a consistent part) done. */
    FAILED,
    /** Stopped by a guard; waits for an admin to approve (apply exactly the plan) or reject. */
    HELD,
    REJECTED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == REJECTED || this == CANCELLED;
    }
}
