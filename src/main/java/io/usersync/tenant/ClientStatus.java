package io.usersync.tenant;

/** Lifecycle of a client account. {@code SUSPENDED} blocks logins and mails elsewhere but still bills. */
public enum ClientStatus {
    TRIAL, ACTIVE, SUSPENDED
}
