package io.usersync.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.usersync.emulator.graph.GraphEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the Graph / Entra ID emulator once for the test application and points the M365 connector's operator
 * configuration at it: Graph base URL, HTTPS authority (real azure-identity against it, instance discovery off,
 * the emulator's certificate trusted), short retry back-off. Tests script it through {@link #emulator()}.
 */
public class GraphEmulatorResource implements QuarkusTestResourceLifecycleManager {

    private static volatile GraphEmulator emulator;
    private Path certificate;

    /** The running emulator; each test creates its own tenant(s) on it. */
    public static GraphEmulator emulator() {
        GraphEmulator running = emulator;
        if (running == null) {
            throw new IllegalStateException("the Graph emulator is not running (is GlobalTestResources applied?)");
        }
        return running;
    }

    @Override
    public Map<String, String> start() {
        GraphEmulator started = GraphEmulator.start();
        try {
            certificate = started.writeCertificate(Files.createTempFile("graph-emulator-", ".pem"));
        } catch (Exception e) {
            started.close();
            throw new IllegalStateException(e);
        }
        emulator = started;
        return Map.of(
                "usersync.sync.m365.graph-base-url", started.graphBaseUrl(),
                "usersync.sync.m365.authority-host", started.authorityHost(),
                "usersync.sync.m365.instance-discovery", "false",
                "usersync.sync.m365.trusted-certificate", certificate.toString(),
                "usersync.sync.m365.retry-base-delay", "50ms",
                "usersync.sync.m365.retry-max-delay", "500ms");
    }

    @Override
    public void stop() {
        GraphEmulator running = emulator;
        emulator = null;
        if (running != null) {
            running.close();
        }
        try {
            if (certificate != null) {
                Files.deleteIfExists(certificate);
            }
        } catch (Exception ignored) {
            // a temp file
        }
    }
}
