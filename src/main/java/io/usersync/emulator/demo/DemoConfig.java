package io.usersync.emulator.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The quickstart's local provider emulators. Off unless explicitly enabled (the {@code demo} profile does); the
 * ports must match the operator settings that point the connectors at them ({@code %demo.usersync.sync.m365.*},
 * {@code %demo.usersync.sync.google.*} in application.properties).
 */
@ConfigMapping(prefix = "usersync.demo.emulators")
public interface DemoConfig {

    /** Starts the Graph and Google emulators, loaded with their demo directories, when the service starts. */
    @WithDefault("false")
    boolean enabled();

    /** Loopback port of the Graph API emulator (plain HTTP). */
    @WithDefault("8091")
    int graphPort();

    /** Loopback port of the emulated Entra ID token endpoint (HTTPS, self-signed certificate). */
    @WithDefault("8092")
    int loginPort();

    /** Loopback port of the Google Admin SDK Directory and OAuth emulator. */
    @WithDefault("8093")
    int googlePort();

    /**
     * Folder receiving the emulated authority's certificate (trusted by the M365 connector in the demo profile)
     * and the two ready-to-send "create connection" request bodies.
     */
    @WithDefault("data/demo")
    String outputDir();
}
