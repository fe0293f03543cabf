package io.usersync.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.usersync.common.Jdbc;
import io.usersync.tenant.Msp;
import io.usersync.testing.Api;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Instants keep their microseconds through every write path (Hibernate entities, native queries, the JDBC bulk
 * paths), also on MariaDB 10.x, where MySQL Connector/J would otherwise drop fractional seconds. Exact instants
 * matter: billing orders and nets events by instant, and de-duplication compares them.
 */
@QuarkusTest
class MicrosecondPrecisionTest {

    static final Instant AT = Instant.parse("2026-03-14T15:09:26.535897Z");

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager em;

    @AfterEach
    void restoreClock() {
        clock.use(Clock.systemUTC());
    }

    @Test
    void entitiesNativeQueriesAndBulkPathsStoreMicroseconds() throws Exception {
        clock.use(Clock.fixed(AT, ZoneOffset.UTC));
        UUID msp = Api.createMsp("precise msp");
        UUID[] client = Api.createClient(msp, "precise client", Map.of());
        UUID user = Api.createUser(client[0], "precise@example.com", true);

        // Hibernate entity write (msp.created_at) and JDBC bulk writes (history and outbox of the new user).
        assertEquals("2026-03-14 15:09:26.535897", text("SELECT created_at FROM msp WHERE id = ?", msp));
        assertEquals("2026-03-14 15:09:26.535897",
                text("SELECT occurred_at FROM user_status_event WHERE user_id = ?", user));
        assertEquals("2026-03-14 15:09:26.535897", text("SELECT occurred_at FROM outbox WHERE user_id = ?", user));

        // Reading back gives the same instant, and a bound Instant compares exactly in a native query.
        assertEquals(AT, QuarkusTransaction.requiringNew().call(() -> Msp.<Msp>findById(msp).createdAt));
        Number matches = QuarkusTransaction.requiringNew().call(() -> (Number) em
                .createNativeQuery("SELECT COUNT(*) FROM msp WHERE id = ?1 AND created_at = ?2")
                .setParameter(1, msp).setParameter(2, AT).getSingleResult());
        assertEquals(1, matches.intValue());
    }

    private String text(String sql, UUID id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql.replace("SELECT ", "SELECT DATE_FORMAT(")
                        .replace(" FROM", ", '%Y-%m-%d %H:%i:%s.%f') FROM"))) {
            s.setBytes(1, Jdbc.bytes(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
