package io.usersync.sync.port;

import java.util.List;

/**
 * Scripts a provider emulator in provider-neutral terms, so one contract test runs against every adapter. Each
 * adapter's test supplies an implementation that translates these calls into its emulator's own model (Graph
 * users and groups, Google users, groups and org units).
 */
public interface DirectoryFixture {

    /** A directory user in neutral terms. {@code enabled=false} means disabled (M365) or suspended (Google). */
    record UserSpec(String email, String firstName, String lastName, List<String> aliases, boolean enabled,
            boolean guest) {

        public static UserSpec active(String email, String firstName, String lastName) {
            return new UserSpec(email, firstName, lastName, List.of(), true, false);
        }

        public UserSpec withAliases(String... addresses) {
            return new UserSpec(email, firstName, lastName, List.of(addresses), enabled, guest);
        }

        public UserSpec disabled() {
            return new UserSpec(email, firstName, lastName, aliases, false, guest);
        }

        public UserSpec asGuest() {
            return new UserSpec(email, firstName, lastName, aliases, enabled, true);
        }
    }

    /** Failures the emulator can inject when a given page of a listing is requested. */
    enum Fault {
        /** HTTP 500 with the provider's error body, every time (retries do not help). */
        SERVER_ERROR,
        /** HTTP 200 whose body is not valid JSON. */
        MALFORMED_JSON,
        /** The TCP connection is closed without an HTTP response. */
        CONNECTION_RESET,
        /** HTTP 429 (with Retry-After where the provider sends one) on every attempt. */
        THROTTLE_FOREVER
    }

    /** Forgets every user, group, fault and counter. */
    void reset();

    /** Adds a user and returns its provider immutable id. */
    String addUser(UserSpec user);

    /** Replaces the user's attributes (same immutable id): renames, alias changes, disabling. */
    void updateUser(String id, UserSpec user);

    /** Deletes the user from the directory. */
    void deleteUser(String id);

    /** Adds a group and returns its id (as the pool definition names it). */
    String addGroup(String name);

    /** A well-formed group id that names no group of the directory. */
    String missingGroupId();

    /** Makes a user or a group (nesting) a member of a group. */
    void addMember(String groupId, String memberId);

    /** Caps the number of users the emulator puts on one page (the server may return fewer than asked). */
    void maxPageSize(int size);

    /** Injects a fault whenever page {@code page} (1-based) of a user or member listing is requested. */
    void failAtPage(int page, Fault fault);

    /** Answers the next request for page {@code page} with 429 / rate-limit once, then serves it normally. */
    void throttleOnceAtPage(int page, int retryAfterSeconds);

    /** Credentials the emulator accepts. */
    Credentials credentials();

    /** Well-formed credentials the emulator refuses at its token endpoint. */
    Credentials wrongCredentials();

    /** Listing requests served so far (token requests excluded). */
    int listRequests();

    /** Whether the provider has guest accounts (M365 does, Google Workspace does not). */
    boolean supportsGuests();
}
