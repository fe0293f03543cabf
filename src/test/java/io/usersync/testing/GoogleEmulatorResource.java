package io.usersync.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.usersync.emulator.google.GoogleEmulator;
import java.util.Map;

/**
 * Starts one Google Workspace emulator for the test application and points the operator settings at it. Tests
 * script it through {@link #emulator()}. Back-off waits are shortened so retries do not slow the suite; the
 * retry logic itself is unchanged.
 */
public class GoogleEmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile GoogleEmulator emulator;

    /** The running emulator (started with the test application). */
    public static GoogleEmulator emulator() {
        GoogleEmulator running = emulator;
        if (running == null) {
            throw new IllegalStateException("the Google emulator runs only inside a @QuarkusTest application");
        }
        return running;
    }

    @Override
    public Map<String, String> start() {
        emulator = GoogleEmulator.start(0, "contract.example");
        return Map.of(
                "usersync.sync.google.root-url", emulator.rootUrl(),
                "usersync.sync.google.token-uri", emulator.tokenUri(),
                "usersync.sync.google.retry.initial-backoff", "20ms",
                "usersync.sync.google.retry.max-backoff", "200ms");
    }

    @Override
    public void stop() {
        GoogleEmulator running = emulator;
        emulator = null;
        if (running != null) {
            running.close();
        }
    }
}
