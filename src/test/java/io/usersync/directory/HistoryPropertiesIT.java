package io.usersync.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.usersync.common.Jdbc;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import io.usersync.testing.process.SharedService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * History in the same transaction, as a property over random sequences of user-management calls (some sent
 * two at a time) against the packaged service: afterwards, for every user of the client account, folding its
 * {@code user_status_event} rows (old → new, creation first, deletion last) gives exactly its current state,
 * and the outbox received exactly one event per history row, with the same id and the same change. A
 * test-only trigger copies every committed outbox row aside, so the check holds even once a billing consumer
 * deletes the rows it has applied. The client account also always keeps an active administrator, and the
 * API's history and "Total Active Users" agree with the rows.
 */
class HistoryPropertiesIT {

    static ExecutorService pair;

    @BeforeContainer
    static void copyTheOutboxAside() throws Exception {
        SharedService.port();
        pair = Executors.newFixedThreadPool(2);
        try (Connection db = SharedService.connect(); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS test_outbox_copy (event_id BINARY(16) NOT NULL, kind VARCHAR(24) "
                    + "NOT NULL, client_id BINARY(16), user_id BINARY(16), was_active BOOLEAN, now_active BOOLEAN)");
            s.execute("DROP TRIGGER IF EXISTS test_outbox_copy");
            s.execute("CREATE TRIGGER test_outbox_copy AFTER INSERT ON outbox FOR EACH ROW INSERT INTO "
                    + "test_outbox_copy VALUES (NEW.event_id, NEW.kind, NEW.client_id, NEW.user_id, NEW.was_active, "
                    + "NEW.now_active)");
        }
    }

    @AfterContainer
    static void stopThePair() {
        pair.shutdownNow();
    }

    /** One user-management call; {@code user} picks one of the client account's users so far (modulo). */
    record Step(String kind, int user, boolean flag, int email) {
        @Override
        public String toString() {
            return kind + (kind.equals("create") ? (flag ? "(active," : "(inactive,") + " u" + email + ")"
                    : "(#" + user + ")");
        }
    }

    @Provide
    Arbitrary<List<List<Step>>> sequences() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.frequency(Tuple.of(4, "create"), Tuple.of(3, "activate"), Tuple.of(3, "deactivate"),
                        Tuple.of(2, "delete"), Tuple.of(2, "promote"), Tuple.of(2, "demote"), Tuple.of(1, "rename")),
                Arbitraries.integers().between(0, 9), Arbitraries.of(true, false), Arbitraries.integers().between(0, 7))
                .as(Step::new);
        // mostly one call at a time, sometimes two at once
        Arbitrary<List<Step>> group = Arbitraries.frequencyOf(
                Tuple.of(4, step.map(List::of)), Tuple.of(1, step.list().ofSize(2)));
        return group.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 40, seed = "20261201010", shrinking = ShrinkingMode.BOUNDED)
    void everyUsersHistoryFoldsToItsStateAndTheOutboxMirrorsIt(@ForAll("sequences") List<List<Step>> sequence,
            @ForAll("limits") Integer userLimit) throws Exception {
        UUID msp = Api.createMsp("history msp");
        Map<String, Object> extra = userLimit == null ? Map.of() : Map.of("userLimit", userLimit);
        UUID[] created = Api.createClient(msp, "history client", extra);
        UUID client = created[0];
        List<UUID> users = new ArrayList<>(List.of(created[1]));
        String[] tokens = { Tokens.operator(), Tokens.mspAdmin(msp), Tokens.clientAdmin(msp, client) };
        int call = 0;
        for (List<Step> group : sequence) {
            List<CompletableFuture<Response>> running = new ArrayList<>();
            for (Step step : group) {
                String token = tokens[call++ % tokens.length];
                running.add(CompletableFuture.supplyAsync(() -> send(client, users, step, token), pair));
            }
            for (CompletableFuture<Response> r : running) {
                Response response = r.join();
                assertTrue(response.statusCode() < 500, group + " answered " + response.statusCode() + " "
                        + response.asString());
                if (response.statusCode() == 201) {
                    users.add(UUID.fromString(response.jsonPath().getString("id")));
                }
            }
        }
        verify(msp, client);
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(2, Arbitraries.integers().between(1, 6)));
    }

    static Response send(UUID client, List<UUID> users, Step step, String token) {
        String base = "/api/clients/" + client + "/users";
        UUID user;
        synchronized (users) {
            user = users.get(step.user() % users.size());
        }
        return switch (step.kind()) {
            case "create" -> Api.as(token).body(Map.of("firstName", "U", "lastName", "Ser", "email",
                    (step.flag() ? "U" : "u") + step.email() + "@Example.com", "active", step.flag())).post(base);
            case "activate" -> Api.as(token).post(base + "/" + user + "/activate");
            case "deactivate" -> Api.as(token).post(base + "/" + user + "/deactivate");
            case "delete" -> Api.as(token).delete(base + "/" + user);
            case "promote" -> Api.as(token).body(Map.of("admin", true)).put(base + "/" + user + "/role");
            case "demote" -> Api.as(token).body(Map.of("admin", false)).put(base + "/" + user + "/role");
            case "rename" -> Api.as(token).body(Map.of("email", "renamed" + step.email() + "@example.com"))
                    .patch(base + "/" + user);
            default -> throw new IllegalArgumentException(step.kind());
        };
    }

    record Event(UUID id, UUID user, Boolean oldActive, boolean newActive, String cause) {
    }

    static void verify(UUID msp, UUID client) throws Exception {
        try (Connection db = SharedService.connect()) {
            Map<UUID, boolean[]> rows = new LinkedHashMap<>(); // user -> {active, admin, deleted}
            try (PreparedStatement s = db.prepareStatement("SELECT id, active, admin, deleted_at IS NOT NULL "
                    + "FROM app_user WHERE msp_id = ? AND client_id = ?")) {
                s.setBytes(1, Jdbc.bytes(msp));
                s.setBytes(2, Jdbc.bytes(client));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.put(Jdbc.uuid(rs.getBytes(1)), new boolean[] { rs.getBoolean(2), rs.getBoolean(3),
                                rs.getBoolean(4) });
                    }
                }
            }
            Map<UUID, List<Event>> history = new HashMap<>();
            List<UUID> historyIds = new ArrayList<>();
            try (PreparedStatement s = db.prepareStatement("SELECT id, user_id, old_active, new_active, cause "
                    + "FROM user_status_event WHERE msp_id = ? AND client_id = ? ORDER BY occurred_at, id")) {
                s.setBytes(1, Jdbc.bytes(msp));
                s.setBytes(2, Jdbc.bytes(client));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Event e = new Event(Jdbc.uuid(rs.getBytes(1)), Jdbc.uuid(rs.getBytes(2)),
                                Jdbc.getBoolean(rs, "old_active"), rs.getBoolean(4), rs.getString(5));
                        history.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e);
                        historyIds.add(e.id());
                    }
                }
            }
            assertTrue(rows.keySet().containsAll(history.keySet()), "history of unknown users");
            int activeAdmins = 0;
            for (Map.Entry<UUID, boolean[]> row : rows.entrySet()) {
                boolean active = false;
                boolean deleted = false;
                List<Event> events = history.getOrDefault(row.getKey(), List.of());
                for (int i = 0; i < events.size(); i++) {
                    Event e = events.get(i);
                    assertTrue(!deleted, "an event after the deletion of " + row.getKey() + ": " + events);
                    if (i == 0 && e.oldActive() == null) {
                        assertTrue(e.newActive() && e.cause().equals("MANUAL"), "creation event " + e);
                    } else {
                        assertEquals(active, e.oldActive(), "event " + i + " of " + row.getKey() + " starts from "
                                + "another state: " + events);
                    }
                    active = e.newActive();
                    deleted = e.cause().equals("DELETE");
                }
                assertEquals(active, row.getValue()[0], "the fold of the history of " + row.getKey() + " " + events
                        + " is not its active flag");
                assertEquals(deleted, row.getValue()[2], "deletion of " + row.getKey() + " without its event");
                if (row.getValue()[0] && row.getValue()[1]) {
                    activeAdmins++;
                }
            }
            assertTrue(activeAdmins >= 1, "the client account lost its last active administrator");

            Map<UUID, Event> byId = new HashMap<>();
            history.values().forEach(list -> list.forEach(e -> byId.put(e.id(), e)));
            Set<UUID> copied = new HashSet<>();
            try (PreparedStatement s = db.prepareStatement("SELECT event_id, kind, user_id, was_active, now_active "
                    + "FROM test_outbox_copy WHERE client_id = ? AND kind = 'USER_ACTIVE'")) {
                s.setBytes(1, Jdbc.bytes(client));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        UUID id = Jdbc.uuid(rs.getBytes(1));
                        assertTrue(copied.add(id), "outbox event " + id + " twice");
                        Event e = byId.get(id);
                        assertTrue(e != null, "outbox event " + id + " without a history row");
                        assertEquals(e.user(), Jdbc.uuid(rs.getBytes(3)));
                        assertEquals(e.oldActive() != null && e.oldActive(), rs.getBoolean(4), "was_active of " + id);
                        assertEquals(e.newActive(), rs.getBoolean(5), "now_active of " + id);
                    }
                }
            }
            assertEquals(byId.keySet(), copied, "history rows without their outbox event");

            List<String> apiHistory = Api.as(Tokens.operator()).get("/api/clients/" + client
                    + "/users/history?limit=500").then().statusCode(200).extract().jsonPath()
                    .getList("items.id", String.class);
            assertEquals(historyIds.stream().map(UUID::toString).sorted().toList(),
                    apiHistory.stream().sorted().toList(), "the API shows the history");
            long active = rows.values().stream().filter(r -> r[0]).count();
            assertEquals(active, Api.as(Tokens.operator()).get("/api/clients/" + client + "/users").then()
                    .statusCode(200).extract().jsonPath().getLong("totalActive"), "Total Active Users");
        }
    }
}
