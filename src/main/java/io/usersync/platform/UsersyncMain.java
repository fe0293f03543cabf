package io.usersync.platform;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Besides running the service it offers {@code mint-token} (development tokens) and, when no
 * database is configured ({@code QUARKUS_DATASOURCE_JDBC_URL} or {@code -Dquarkus.datasource.jdbc.url}), starts
 * the embedded MariaDB first so that a newcomer's first run just works. Production builds have no embedded
 * database and stop with a clear message instead.
 */
@QuarkusMain
public class UsersyncMain {

    static final String EMBEDDED = "io.usersync.platform.embedded.EmbeddedDatabase";

    public static void main(String... args) {
        if (args.length > 0 && "mint-token".equals(args[0])) {
            System.exit(DevTokens.cli(args));
        }
        if (!databaseConfigured()) {
            try {
                startEmbeddedDatabase();
            } catch (IllegalStateException e) {
                // a configuration problem, not a crash: say what to do, without a stack trace
                System.err.println("usersync: " + e.getMessage()
                        + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
                System.exit(1);
            }
        }
        Quarkus.run(args);
    }

    static boolean databaseConfigured() {
        return System.getProperty("quarkus.datasource.jdbc.url") != null
                || System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null;
    }

    private static void startEmbeddedDatabase() {
        try {
            Class.forName(EMBEDDED).getMethod("startAndConfigure").invoke(null);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("No database configured (QUARKUS_DATASOURCE_JDBC_URL) and this build "
                    + "has no embedded database");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not start the embedded database", e.getCause());
        }
    }
}
