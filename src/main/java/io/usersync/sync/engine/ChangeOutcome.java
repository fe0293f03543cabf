package io.usersync.sync.engine;

/** What applying one plan row did. */
public enum ChangeOutcome {
    APPLIED,
    /** Nothing to do any more (e.g. the user was already in the planned state). */
    NOOP,
    /** Not applied: the user limit was reached by the time of applying. */
    OVER_LIMIT,
    /** Not applied: it would remove the last active administrator. */
    CONFLICT,
    /** Not applied: the user disappeared or the email was taken meanwhile. */
    SKIPPED,
    /** An informational row (DENIED, OVER_LIMIT, SKIPPED, CONFLICT, SNAPSHOT). */
    RECORDED
}
