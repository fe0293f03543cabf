package io.usersync.testing.process;

import io.restassured.RestAssured;
import io.usersync.testing.TestDatabaseServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * One packaged service for the property-based integration tests of a failsafe run: the jar in its own JVM
 * with the {@code demo} profile, on a fresh database of the test server (so the tests can also look at the
 * rows), started on first use and stopped, with its database dropped, when the JVM ends. RestAssured is
 * pointed at it.
 */
public final class SharedService {

    private static ServiceProcess process;
    private static String database;
    private static int port;

    private SharedService() {
    }

    public static synchronized int port() {
        if (process == null) {
            start();
        }
        RestAssured.port = port;
        return port;
    }

    /** A connection to the service's database. */
    public static Connection connect() throws SQLException {
        port();
        return TestDatabaseServer.connect(database);
    }

    private static void start() {
        try {
            database = TestDatabaseServer.createDatabase("it");
            Path dir = Files.createTempDirectory("usersync-it");
            // the property-based suites send thousands of requests from one address and caller, many of them with
            // bad credentials on purpose: limits far above that (RateLimitIT checks the limits themselves)
            process = ServiceProcess.start(dir, List.of("-Dquarkus.profile=demo", "-Dquarkus.http.port=0",
                    "-Dusersync.rate-limit.per-caller-requests=10000000",
                    "-Dusersync.rate-limit.per-address-requests=10000000",
                    "-Dusersync.rate-limit.failed-authentication-requests=10000000"), Map.of(
                            "QUARKUS_DATASOURCE_JDBC_URL", TestDatabaseServer.jdbcUrl(database),
                            "QUARKUS_DATASOURCE_USERNAME", TestDatabaseServer.user(),
                            "QUARKUS_DATASOURCE_PASSWORD", TestDatabaseServer.password()));
            port = process.awaitPort();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.stop();
                try {
                    TestDatabaseServer.dropDatabase(database);
                } catch (RuntimeException e) {
                    // an embedded test server may already be stopping too; its folders go with it
                }
            }, "shared-service-stop"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the service printed, for failure messages. */
    public static String output() {
        return process == null ? "" : process.output();
    }
}
