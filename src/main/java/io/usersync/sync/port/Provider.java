package io.usersync.sync.port;

/** The directory providers usersync can sync from. */
public enum Provider {
    M365, GOOGLE
}
