package io.usersync.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives each Quarkus test application a fresh database on the test server, dropped when it stops. */
public class MariaDbTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public Map<String, String> start() {
        database = TestDatabaseServer.createDatabase("qt");
        return Map.of(
                "quarkus.datasource.jdbc.url", TestDatabaseServer.jdbcUrl(database),
                "quarkus.datasource.username", TestDatabaseServer.user(),
                "quarkus.datasource.password", TestDatabaseServer.password(),
                "usersync.test.database", database);
    }

    @Override
    public void stop() {
        if (database != null) {
            TestDatabaseServer.dropDatabase(database);
        }
    }
}
