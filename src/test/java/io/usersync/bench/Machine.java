package io.usersync.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures depend on: the machine's load while they were taken. */
final class Machine {

    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}). */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "?";
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
