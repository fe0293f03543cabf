package io.usersync.billing;

import static io.usersync.billing.BillingTestSupport.client;
import static io.usersync.billing.BillingTestSupport.deleted;
import static io.usersync.billing.BillingTestSupport.mspCreated;
import static io.usersync.billing.BillingTestSupport.user;
import static io.usersync.tenant.BillingModel.ANNUAL;
import static io.usersync.tenant.BillingModel.MONTHLY;
import static io.usersync.tenant.ClientStatus.ACTIVE;
import static io.usersync.tenant.ClientStatus.SUSPENDED;
import static io.usersync.tenant.ClientStatus.TRIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.PeriodReport;
import io.usersync.common.Ids;
import io.usersync.common.Jdbc;
import io.usersync.events.OutboxEvent;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger from outbox facts: exact peaks, distinct users, breakdowns, duplicates, order independence. The MSP
 * here exists only as events (billing never reads the msp table), so instants are chosen freely.
 */
@QuarkusTest
class LedgerScenarioTest {

    @Inject
    BillingTestSupport billing;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void clock() {
        // late enough that every period used below has started; nothing closes periods in these tests
        billing.useClock("2024-09-01T00:00:00Z");
    }

    @AfterEach
    void restore() {
        billing.restoreClock();
    }

    @Test
    void peakIsOfSimultaneousUsersWhileDistinctCountsEveryone() {
        UUID msp = Ids.newId();
        UUID c = Ids.newId();
        UUID a = Ids.newId();
        UUID b = Ids.newId();
        billing.write(mspCreated(msp, "2024-03-01T08:00:00Z"), client(msp, c, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY),
                user(msp, c, a, "2024-03-02T10:00:00Z", true));
        billing.drain();
        billing.write(user(msp, c, a, "2024-03-10T10:00:00Z", false));
        billing.write(user(msp, c, b, "2024-03-12T10:00:00Z", true));
        billing.drain();

        PeriodReport march = billing.period(msp, 0);
        assertEquals(1, march.summary().peak().users(), "A removed before B was added: never two at once");
        assertEquals(Instant.parse("2024-03-02T10:00:00Z"), march.summary().peak().at());
        assertEquals(0, march.summary().usersAtStart());
        assertEquals(2, march.summary().distinctUsers());
        assertEquals(Map.of(c, List.of(1L, 1L, 2L)), BillingTestSupport.breakdown(march));

        PeriodReport april = billing.period(msp, 1);
        assertEquals(1, april.summary().peak().users());
        assertEquals(Instant.parse("2024-04-01T00:00:00Z"), april.summary().peak().at(), "B counts from the start");
        assertEquals(1, april.summary().usersAtStart());
        assertEquals(1, april.summary().distinctUsers());
    }

    @Test
    void changesAtTheSameInstantApplyTogetherAndPeriodEdgesAreHalfOpen() {
        UUID msp = Ids.newId();
        UUID c1 = Ids.newId();
        UUID c2 = Ids.newId();
        UUID a = Ids.newId();
        UUID b = Ids.newId();
        UUID x = Ids.newId();
        UUID y = Ids.newId();
        billing.write(mspCreated(msp, "2024-03-01T08:00:00Z"), client(msp, c1, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY),
                client(msp, c2, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY), user(msp, c1, a, "2024-03-05T12:00:00Z", true),
                user(msp, c1, x, "2024-03-05T13:00:00Z", true));
        // a moves out of client 1 while b joins client 2 at the same instant, in different transactions
        billing.write(user(msp, c2, b, "2024-03-20T12:00:00Z", true));
        billing.drain();
        billing.write(user(msp, c1, a, "2024-03-20T12:00:00Z", false));
        // x leaves exactly when April starts, y joins exactly then
        billing.write(user(msp, c1, x, "2024-04-01T00:00:00Z", false), user(msp, c2, y, "2024-04-01T00:00:00Z", true));
        billing.drain();

        PeriodReport march = billing.period(msp, 0);
        assertEquals(2, march.summary().peak().users(), "the swap at 12:00 on the 20th never makes three");
        assertEquals(3, march.summary().distinctUsers(), "a, x and b; y starts in April");
        PeriodReport april = billing.period(msp, 1);
        assertEquals(2, april.summary().usersAtStart(), "b and y; x is gone at the first instant of April");
        assertEquals(2, april.summary().peak().users());
        assertEquals(2, april.summary().distinctUsers());
        assertEquals(Map.of(c2, List.of(2L, 2L, 2L)), BillingTestSupport.breakdown(april));
    }

    @Test
    void clientStatusAndModelDecideBillability() {
        UUID msp = Ids.newId();
        UUID trial = Ids.newId();
        UUID suspended = Ids.newId();
        UUID annual = Ids.newId();
        UUID gone = Ids.newId();
        List<OutboxEvent> events = new ArrayList<>(List.of(mspCreated(msp, "2024-03-01T08:00:00Z"),
                client(msp, trial, "2024-03-01T09:00:00Z", TRIAL, MONTHLY),
                client(msp, suspended, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY),
                client(msp, annual, "2024-03-01T09:00:00Z", ACTIVE, ANNUAL),
                client(msp, gone, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY)));
        for (UUID c : List.of(trial, suspended, annual, gone)) {
            for (int i = 0; i < 3; i++) {
                events.add(user(msp, c, Ids.newId(), "2024-03-02T10:00:00Z", true));
            }
        }
        billing.write(events);
        billing.write(client(msp, trial, "2024-03-10T00:00:00Z", ACTIVE, MONTHLY), // converted mid-period
                client(msp, suspended, "2024-03-10T00:00:00Z", SUSPENDED, MONTHLY), // still bills
                deleted(msp, gone, "2024-03-15T00:00:00Z", ACTIVE, MONTHLY), // stops at deletion
                client(msp, suspended, "2024-03-20T00:00:00Z", SUSPENDED, ANNUAL)); // stops from the switch
        billing.drain();

        PeriodReport march = billing.period(msp, 0);
        Map<UUID, List<Long>> clients = BillingTestSupport.breakdown(march);
        assertEquals(9, march.summary().peak().users(), "suspended 3 + deleted 3 + converted trial 3");
        assertEquals(Instant.parse("2024-03-10T00:00:00Z"), march.summary().peak().at());
        assertEquals(List.of(3L, 3L, 3L), clients.get(trial));
        assertEquals(List.of(3L, 3L, 3L), clients.get(suspended));
        assertEquals(List.of(3L, 3L, 3L), clients.get(gone));
        assertEquals(null, clients.get(annual), "an annual client never counts");
        PeriodReport april = billing.period(msp, 1);
        assertEquals(3, april.summary().peak().users(), "only the converted trial is left");
        assertEquals(Map.of(trial, List.of(3L, 3L, 3L)), BillingTestSupport.breakdown(april));
    }

    @Test
    void replayedAndDuplicatedEventsNeverCountTwice() throws Exception {
        UUID msp = Ids.newId();
        UUID c = Ids.newId();
        UUID a = Ids.newId();
        OutboxEvent created = mspCreated(msp, "2024-03-01T08:00:00Z");
        OutboxEvent state = client(msp, c, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY);
        OutboxEvent on = user(msp, c, a, "2024-03-02T10:00:00Z", true);
        OutboxEvent off = user(msp, c, a, "2024-03-03T10:00:00Z", false);
        OutboxEvent on2 = user(msp, c, a, "2024-03-04T10:00:00Z", true);
        billing.write(created, state, on, off, on2);
        billing.drain();
        PeriodReport before = billing.period(msp, 0);
        assertEquals(1, before.summary().peak().users());

        // the same events written to the outbox again (at-least-once delivery, a replaying producer)
        billing.write(on, on2);
        billing.write(created, state, off);
        billing.drain();
        billing.write(on);
        billing.drain();

        PeriodReport after = billing.period(msp, 0);
        assertEquals(before, after);
        assertEquals(1, after.summary().distinctUsers());
        assertEquals(5, count("SELECT COUNT(*) FROM billing_event WHERE msp_id = ?", msp), "each id applied once");
        assertEquals(0, count("SELECT COUNT(*) FROM outbox WHERE msp_id = ?", msp), "duplicates are consumed");
    }

    @Test
    void outOfOrderArrivalAcrossClientsGivesTheSameResult() {
        List<String[]> script = List.of(
                new String[] { "c1", null, "2024-03-01T09:00:00Z", "ACTIVE" },
                new String[] { "c2", null, "2024-03-01T09:00:00Z", "TRIAL" },
                new String[] { "c1", "u1", "2024-03-03T10:00:00Z", "on" },
                new String[] { "c1", "u2", "2024-03-03T10:30:00Z", "on" },
                new String[] { "c2", "u3", "2024-03-03T10:30:00Z", "on" },
                new String[] { "c2", "u4", "2024-03-04T11:15:00Z", "on" },
                new String[] { "c2", null, "2024-03-05T10:45:00Z", "ACTIVE" },
                new String[] { "c1", "u1", "2024-03-05T10:45:00Z", "off" },
                new String[] { "c1", "u2", "2024-03-05T10:50:00Z", "off" },
                new String[] { "c2", "u3", "2024-03-06T00:00:00Z", "off" },
                new String[] { "c1", "u1", "2024-03-31T23:59:59Z", "on" },
                new String[] { "c2", null, "2024-04-02T00:00:00Z", "ANNUAL" });
        UUID inOrder = Ids.newId();
        UUID reversed = Ids.newId();
        Map<String, UUID> ids1 = new java.util.HashMap<>();
        Map<String, UUID> ids2 = new java.util.HashMap<>();
        billing.write(mspCreated(inOrder, "2024-03-01T08:00:00Z"), mspCreated(reversed, "2024-03-01T08:00:00Z"));
        billing.drain();
        List<OutboxEvent> first = events(inOrder, script, ids1);
        List<OutboxEvent> second = events(reversed, script, ids2);
        billing.write(first);
        billing.drain();
        Collections.reverse(second);
        for (OutboxEvent e : second) { // one transaction and one consumer batch each, newest first
            billing.write(e);
            billing.drain();
        }
        for (int index = 0; index <= 1; index++) {
            PeriodReport a = billing.period(inOrder, index);
            PeriodReport b = billing.period(reversed, index);
            assertEquals(a.summary().peak(), b.summary().peak());
            assertEquals(a.summary().distinctUsers(), b.summary().distinctUsers());
            assertEquals(a.summary().usersAtStart(), b.summary().usersAtStart());
            assertEquals(BillingTestSupport.breakdown(a).get(ids1.get("c1")),
                    BillingTestSupport.breakdown(b).get(ids2.get("c1")));
            assertEquals(BillingTestSupport.breakdown(a).get(ids1.get("c2")),
                    BillingTestSupport.breakdown(b).get(ids2.get("c2")));
        }
        PeriodReport march = billing.period(reversed, 0);
        assertEquals(3, march.summary().peak().users(), "u1, u2 and the converted u3 / u4 at 10:45 on the 5th");
        assertEquals(Instant.parse("2024-03-05T10:45:00Z"), march.summary().peak().at());
        assertEquals(4, march.summary().distinctUsers());
    }

    @Test
    void anUnreadableOutboxRowIsConsumedWithoutStoppingTheRest() throws Exception {
        UUID msp = Ids.newId();
        UUID c = Ids.newId();
        billing.write(mspCreated(msp, "2024-03-01T08:00:00Z"), client(msp, c, "2024-03-01T09:00:00Z", ACTIVE, MONTHLY));
        try (Connection db = dataSource.getConnection(); PreparedStatement s = db.prepareStatement(
                "INSERT INTO outbox (event_id, msp_id, kind, client_id, user_id, occurred_at, now_active)"
                        + " VALUES (?, ?, ?, ?, NULL, '2024-03-02 10:00:00', TRUE)")) {
            for (String kind : List.of("SOMETHING_NEW", "USER_ACTIVE")) { // unknown kind; user missing
                s.setBytes(1, Jdbc.bytes(Ids.newId()));
                s.setBytes(2, Jdbc.bytes(msp));
                s.setString(3, kind);
                s.setBytes(4, Jdbc.bytes(c));
                s.executeUpdate();
            }
        }
        billing.write(user(msp, c, Ids.newId(), "2024-03-03T10:00:00Z", true));
        billing.drain();
        assertEquals(0, count("SELECT COUNT(*) FROM outbox WHERE msp_id = ?", msp));
        assertEquals(1, billing.period(msp, 0).summary().peak().users());
    }

    private static List<OutboxEvent> events(UUID msp, List<String[]> script, Map<String, UUID> ids) {
        List<OutboxEvent> events = new ArrayList<>();
        for (String[] line : script) {
            UUID c = ids.computeIfAbsent(line[0], k -> Ids.newId());
            if (line[1] == null) {
                events.add(line[3].equals("ANNUAL") ? client(msp, c, line[2], ACTIVE, ANNUAL)
                        : client(msp, c, line[2], io.usersync.tenant.ClientStatus.valueOf(line[3]), MONTHLY));
            } else {
                events.add(user(msp, c, ids.computeIfAbsent(line[1], k -> Ids.newId()), line[2], line[3].equals("on")));
            }
        }
        return events;
    }

    private long count(String sql, UUID msp) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
