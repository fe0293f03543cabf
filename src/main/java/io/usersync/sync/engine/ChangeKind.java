package io.usersync.sync.engine;

/** Kinds of rows in a run's plan (the per-user change list). */
public enum ChangeKind {
    /** A new synced user, created active. */
    CREATE,
    /** An existing manual user with the same email becomes this directory user (state unchanged by this row). */
    ADOPT,
    /**
     * A user synced from this source whose directory account is gone now follows a new directory account with
     * the same email (deleted and re-created in the directory): its external id is replaced, its id and history
     * stay (state unchanged by this row).
     */
    RELINK,
    /** Email and/or names updated from the source. */
    UPDATE,
    ACTIVATE,
    DEACTIVATE,
    /** The user is in the pool but on the deny list (informational; a DEACTIVATE row follows if needed). */
    DENIED,
    /** An activation left out because the client account is at its user limit. */
    OVER_LIMIT,
    /** Not processed: no usable email, or the email belongs to another user. */
    SKIPPED,
    /** A deactivation refused because it would remove the last active administrator. */
    CONFLICT,
    /** Only the connection's view of the directory user changes (e.g. aliases); no user change. */
    SNAPSHOT;

    /** Whether rows of this kind change a user when applied. */
    public boolean changesUser() {
        return this == CREATE || this == ADOPT || this == RELINK || this == UPDATE || this == ACTIVATE
                || this == DEACTIVATE;
    }
}
