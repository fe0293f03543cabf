package io.usersync.emulator.google;

import java.util.Map;

/**
 * A request the emulator received, for tests to assert what the SDK actually sent.
 *
 * @param query  the query parameters (first value of each), decoded
 * @param status the HTTP status answered, 0 when the connection was reset instead
 */
public record RecordedRequest(String method, String path, Map<String, String> query, int status) {
}
