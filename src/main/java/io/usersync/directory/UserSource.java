package io.usersync.directory;

/** Where a user comes from. Synced users carry the provider's immutable id. */
public enum UserSource {
    MANUAL, M365, GOOGLE
}
