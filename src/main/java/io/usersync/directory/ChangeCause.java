package io.usersync.directory;

/** Why a user's billable state changed. */
public enum ChangeCause {
    MANUAL, SYNC, DELETE
}
