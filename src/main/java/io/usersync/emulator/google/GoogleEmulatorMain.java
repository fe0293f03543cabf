package io.usersync.emulator.google;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the Google emulator on its own for the quickstart and benchmarks:
 * {@code java -cp <classpath> io.usersync.emulator.google.GoogleEmulatorMain [--host 127.0.0.1] [--port 8091]
 * [--seed-users N] [--seed S] [--connection-file target/google-demo-connection.json]}. It loads the demo
 * Workspace (plus N seeded users), writes the body of the "create connection" API call (with the generated
 * service-account key, readable by the owner only) to the connection file, prints the two operator settings
 * that point usersync at it, and serves until stopped.
 */
public final class GoogleEmulatorMain {

    private GoogleEmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8091;
        int seedUsers = 0;
        long seed = 42;
        Path connectionFile = Path.of("target", "google-demo-connection.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--seed-users" -> seedUsers = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--connection-file" -> connectionFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        GoogleEmulator emulator = GoogleEmulator.start(host, port,
                new GoogleWorkspace(GoogleWorkspace.DEFAULT_CUSTOMER_ID, DemoWorkspace.DOMAIN));
        DemoWorkspace.Connection connection = DemoWorkspace.load(emulator);
        if (seedUsers > 0) {
            emulator.workspace().seedUsers(seedUsers, seed);
        }
        if (connectionFile.getParent() != null) {
            Files.createDirectories(connectionFile.getParent());
        }
        Files.writeString(connectionFile, connection.createConnectionBody());
        try {
            Files.setPosixFilePermissions(connectionFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        System.out.println("Google Workspace emulator: " + emulator.workspace().userCount() + " users");
        System.out.println("  usersync.sync.google.root-url=" + emulator.rootUrl());
        System.out.println("  usersync.sync.google.token-uri=" + emulator.tokenUri());
        System.out.println("  connection request body (contains the demo key): " + connectionFile.toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
