package io.usersync.directory;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.usersync.common.Jdbc;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A billable-state change and its history/outbox rows commit or fail together. A test-only trigger makes the
 * database refuse outbox rows of one client account (SIGNAL SQLSTATE '45000'); every change of that client's
 * users then fails as a whole — the user's state, its history row and its outbox row are all rolled back —
 * through the API (ORM path) and through the sync engine's bulk JDBC path alike.
 */
@QuarkusTest
class HistoryAtomicityTest {

    @Inject
    DataSource dataSource;

    @Inject
    SyncedUserStore syncedUsers;

    @Inject
    AppClock clock;

    @Test
    void aFailingOutboxInsertRollsBackTheUsersChangeAndItsHistory() throws Exception {
        UUID msp = Api.createMsp("atomic msp");
        UUID client = Api.createClient(msp, "atomic client", Map.of("userLimit", 50))[0];
        String users = "/api/clients/" + client + "/users";
        UUID active = Api.createUser(client, "active@example.com", true);
        UUID inactive = Api.createUser(client, "inactive@example.com", false);
        State before = state(client);

        failOutboxInsertsOf(client);
        try {
            Api.as(Tokens.operator()).post(users + "/" + active + "/deactivate").then().statusCode(500)
                    .contentType("application/problem+json").body("code", equalTo("internal"));
            Api.as(Tokens.operator()).post(users + "/" + inactive + "/activate").then().statusCode(500);
            Api.as(Tokens.operator()).delete(users + "/" + active).then().statusCode(500);
            Api.as(Tokens.operator()).body(Map.of("firstName", "New", "lastName", "User", "email",
                    "new@example.com")).post(users).then().statusCode(500);
            Api.as(Tokens.operator()).body(Map.of("status", "SUSPENDED")).put("/api/clients/" + client + "/status")
                    .then().statusCode(500);
            assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() ->
                    syncedUsers.setActive(msp, client, List.of(active), false, "system:test", null, clock.now())));
            assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() ->
                    syncedUsers.insertActive(msp, client, List.of(new SyncedUserStore.NewSynced(UUID.randomUUID(),
                            UserSource.M365, "ext-1", EmailAddress.parse("synced@example.com").orElseThrow(),
                            "Sync", "User")), "system:test", null, clock.now())));

            assertEquals(before, state(client), "nothing of the failed changes remains");
        } finally {
            dropTrigger();
        }

        // the same changes succeed once the database accepts the outbox rows again
        Api.as(Tokens.operator()).post(users + "/" + active + "/deactivate").then().statusCode(200);
        Api.as(Tokens.operator()).post(users + "/" + inactive + "/activate").then().statusCode(200);
        Api.as(Tokens.operator()).body(Map.of("status", "SUSPENDED")).put("/api/clients/" + client + "/status")
                .then().statusCode(200);
        State after = state(client);
        assertEquals(before.events() + 2, after.events());
        assertEquals(before.outbox() + 3, after.outbox());
        assertEquals(before.clientChanges() + 1, after.clientChanges());
    }

    /** Everything a billable-state change writes, for one client account. */
    record State(String users, long events, long outbox, long clientChanges, String status) {
    }

    private State state(UUID client) throws Exception {
        try (Connection db = dataSource.getConnection()) {
            StringBuilder users = new StringBuilder();
            try (PreparedStatement s = db.prepareStatement("SELECT email, active, admin, deleted_at IS NULL "
                    + "FROM app_user WHERE client_id = ? ORDER BY id")) {
                s.setBytes(1, Jdbc.bytes(client));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        users.append(rs.getString(1)).append(':').append(rs.getBoolean(2)).append(':')
                                .append(rs.getBoolean(3)).append(':').append(rs.getBoolean(4)).append(';');
                    }
                }
            }
            return new State(users.toString(), count(db, "user_status_event", client), count(db, "outbox", client),
                    count(db, "client_status_change", client), string(db, client));
        }
    }

    private static long count(Connection db, String table, UUID client) throws Exception {
        try (PreparedStatement s = db.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE client_id = ?")) {
            s.setBytes(1, Jdbc.bytes(client));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String string(Connection db, UUID client) throws Exception {
        try (PreparedStatement s = db.prepareStatement("SELECT status FROM client_account WHERE id = ?")) {
            s.setBytes(1, Jdbc.bytes(client));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void failOutboxInsertsOf(UUID client) throws Exception {
        try (Connection db = dataSource.getConnection(); Statement s = db.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS test_fail_outbox");
            s.execute("CREATE TRIGGER test_fail_outbox BEFORE INSERT ON outbox FOR EACH ROW BEGIN "
                    + "IF NEW.client_id = UNHEX('" + HexFormat.of().formatHex(Jdbc.bytes(client)) + "') THEN "
                    + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected outbox failure'; END IF; END");
        }
    }

    private void dropTrigger() throws Exception {
        try (Connection db = dataSource.getConnection(); Statement s = db.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS test_fail_outbox");
        }
    }
}
