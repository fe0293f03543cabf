package io.usersync.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.common.Jdbc;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEvents;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import io.usersync.webhook.Receiver.Answer;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end against a receiver on 127.0.0.1: a state change commits, its event is queued in the same
 * transaction, the dispatcher signs and POSTs it, the receiver verifies it like a tenant would. Retries, giving
 * up, disabling, redelivery, recovery and the delivery log. The tests drive the dispatcher
 * ({@link WebhookDispatcher#deliverDue}); "time passes" by making a scheduled retry due in the database.
 */
@QuarkusTest
class WebhookDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    WebhookEvents events;

    @Inject
    DataSource dataSource;

    @Inject
    AppClock clock;

    Receiver receiver;
    UUID msp;
    UUID client;
    String hooks;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new Receiver();
        msp = Api.createMsp("delivery msp " + UUID.randomUUID());
        client = Api.createClient(msp, "delivery client", Map.of())[0];
        hooks = "/api/msps/" + msp + "/webhooks";
        dispatcher.deliverDue(); // whatever other tests left due
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    /** Registers an endpoint at the receiver; returns [id, secret]. */
    String[] register(String base, String path, String... types) {
        JsonPath created = Api.as(Tokens.operator()).body(Map.of("url", receiver.url(path), "eventTypes",
                List.of(types))).post(base).then().statusCode(201).extract().jsonPath();
        return new String[] { created.getString("id"), created.getString("secret") };
    }

    UUID createUser(UUID clientId) {
        return Api.createUser(clientId, "u-" + UUID.randomUUID() + "@example.com", true);
    }

    /** Makes every scheduled retry of the endpoint due now (as if its wait had passed). */
    void timePasses(String endpointId) throws Exception {
        sql("UPDATE webhook_delivery SET next_attempt_at = ? WHERE endpoint_id = ? AND status = 'PENDING'",
                clock.now().minusSeconds(1), UUID.fromString(endpointId));
    }

    int sql(String statement, Object... params) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                Object p = params[i];
                if (p instanceof UUID id) {
                    s.setBytes(i + 1, Jdbc.bytes(id));
                } else if (p instanceof Instant at) {
                    s.setString(i + 1, Jdbc.timestamp(at));
                } else {
                    s.setObject(i + 1, p);
                }
            }
            return s.executeUpdate();
        }
    }

    long count(String query, UUID id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setBytes(1, Jdbc.bytes(id));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static boolean verified(String secret, Receiver.Request r) throws Exception {
        return SampleVerifier.verify(secret, r.header("webhook-id"), r.header("webhook-timestamp"),
                r.header("webhook-signature"), r.body(), Instant.now().getEpochSecond());
    }

    @Test
    void aStateChangeIsDeliveredSignedOnceCommittedWithItsHistoryEventId() throws Exception {
        String[] endpoint = register(hooks, "/hook", "user.billable.changed");
        UUID user = createUser(client);
        assertEquals(1, count("SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = ? AND status = 'PENDING'",
                UUID.fromString(endpoint[0])), "queued in the transaction of the change");
        assertEquals(1, dispatcher.deliverDue());
        List<Receiver.Request> got = receiver.requests();
        assertEquals(1, got.size());
        Receiver.Request request = got.getFirst();
        assertEquals("POST", request.method());
        assertEquals("/hook", request.path());
        assertTrue(verified(endpoint[1], request), "verifies with the secret shown at registration");
        assertFalse(verified("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), request));
        JsonNode body = JSON.readTree(request.body());
        assertEquals("user.billable.changed", body.get("type").asText());
        assertNotNull(Instant.parse(body.get("timestamp").asText()));
        JsonNode data = body.get("data");
        assertEquals(user.toString(), data.get("userId").asText());
        assertEquals(client.toString(), data.get("clientId").asText());
        assertEquals(msp.toString(), data.get("mspId").asText());
        assertEquals("activated", data.get("change").asText());
        assertTrue(data.get("active").asBoolean());
        assertEquals("MANUAL", data.get("cause").asText());
        String historyEventId = Api.as(Tokens.operator()).get("/api/clients/" + client + "/users/" + user
                + "/history").then().statusCode(200).extract().path("items[0].id");
        assertEquals(historyEventId, request.header("webhook-id"), "webhook-id is the user's history event id");

        // the delivery log: the delivery and its attempt with status code and latency
        JsonPath deliveries = Api.as(Tokens.mspAdmin(msp)).get(hooks + "/" + endpoint[0] + "/deliveries").then()
                .statusCode(200).extract().jsonPath();
        assertEquals("SUCCEEDED", deliveries.getString("items[0].status"));
        assertEquals(204, deliveries.getInt("items[0].lastStatusCode"));
        assertEquals(historyEventId, deliveries.getString("items[0].eventId"));
        assertTrue(deliveries.getInt("items[0].lastLatencyMs") >= 0);
        JsonPath log = Api.as(Tokens.mspAdmin(msp)).get(hooks + "/" + endpoint[0] + "/attempts").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(1, log.getList("items").size());
        assertEquals(204, log.getInt("items[0].statusCode"));
        assertTrue(log.getBoolean("items[0].succeeded"));
        assertEquals(0, dispatcher.deliverDue(), "nothing left");
    }

    @Test
    void aChangeThatRollsBackQueuesNothing() throws Exception {
        String[] endpoint = register(hooks, "/hook", "user.billable.changed");
        UUID eventId = UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                events.publish(WebhookEvent.userBillableChanged(eventId, msp, client, UUID.randomUUID(), true,
                        "MANUAL", "test", null, clock.now()));
                throw new IllegalStateException("the change fails");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertEquals(0, count("SELECT COUNT(*) FROM webhook_message WHERE id = ?", eventId));
        // an API change refused by a business rule (duplicate email) leaves nothing either
        String email = "dup-" + UUID.randomUUID() + "@example.com";
        Api.createUser(client, email, true);
        Api.as(Tokens.operator()).body(Map.of("firstName", "A", "lastName", "B", "email", email))
                .post("/api/clients/" + client + "/users").then().statusCode(409);
        assertEquals(1, count("SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = ?",
                UUID.fromString(endpoint[0])));
        // outside a transaction the port refuses to publish at all
        try {
            events.publish(WebhookEvent.userBillableChanged(UUID.randomUUID(), msp, client, UUID.randomUUID(), true,
                    "MANUAL", "test", null, clock.now()));
            throw new AssertionError("published without a transaction");
        } catch (jakarta.transaction.TransactionalException expected) {
            // MANDATORY
        }
    }

    @Test
    void eventsReachTheMspsEndpointsAndTheirOwnClientsEndpointsOnly() throws Exception {
        UUID sibling = Api.createClient(msp, "sibling", Map.of())[0];
        register(hooks, "/msp", "user.billable.changed");
        register("/api/clients/" + client + "/webhooks", "/client", "user.billable.changed");
        register("/api/clients/" + sibling + "/webhooks", "/sibling", "user.billable.changed");
        register(hooks, "/other-type", "sync.run.failed");
        UUID otherMsp = Api.createMsp("other " + UUID.randomUUID());
        UUID otherClient = Api.createClient(otherMsp, "other", Map.of())[0];
        register("/api/msps/" + otherMsp + "/webhooks", "/other-msp", "user.billable.changed");
        UUID user = createUser(client);
        dispatcher.deliverDue();
        List<String> paths = receiver.requests().stream().map(Receiver.Request::path).sorted().toList();
        assertEquals(List.of("/client", "/msp"), paths);
        assertEquals(receiver.requests().get(0).header("webhook-id"), receiver.requests().get(1).header("webhook-id"),
                "one event, one id, at every endpoint");
        assertTrue(receiver.requests().getFirst().bodyText().contains(user.toString()));
        receiver.clear();
        createUser(otherClient);
        dispatcher.deliverDue();
        assertEquals(List.of("/other-msp"), receiver.requests().stream().map(Receiver.Request::path).toList());
    }

    @Test
    void failedAttemptsAreRetriedOnTheScheduleUntilTheReceiverAnswers2xx() throws Exception {
        String[] endpoint = register(hooks, "/flaky", "user.billable.changed");
        AtomicInteger calls = new AtomicInteger();
        receiver.answer(r -> calls.incrementAndGet() <= 2 ? new Answer(500, "oops", Map.of(), 0)
                : Answer.status(200));
        createUser(client);
        assertEquals(1, dispatcher.deliverDue());
        JsonPath pending = Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries").then()
                .extract().jsonPath();
        assertEquals("PENDING", pending.getString("items[0].status"));
        assertEquals(500, pending.getInt("items[0].lastStatusCode"));
        Instant next = Instant.parse(pending.getString("items[0].nextAttemptAt"));
        Duration wait = Duration.between(clock.now(), next);
        assertTrue(wait.compareTo(Duration.ofSeconds(3)) > 0 && wait.compareTo(Duration.ofSeconds(6)) < 0,
                "first retry after about 5 s: " + wait);
        assertEquals(0, dispatcher.deliverDue(), "not before it is due");
        timePasses(endpoint[0]);
        assertEquals(1, dispatcher.deliverDue());
        next = Instant.parse(Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries").then()
                .extract().path("items[0].nextAttemptAt"));
        wait = Duration.between(clock.now(), next);
        assertTrue(wait.compareTo(Duration.ofMinutes(4)) > 0 && wait.compareTo(Duration.ofMinutes(6)) < 0,
                "second retry after about 5 min: " + wait);
        timePasses(endpoint[0]);
        assertEquals(1, dispatcher.deliverDue());
        List<Receiver.Request> got = receiver.requests();
        assertEquals(3, got.size());
        for (Receiver.Request r : got) {
            assertTrue(verified(endpoint[1], r));
            assertEquals(got.getFirst().header("webhook-id"), r.header("webhook-id"), "same id on every retry");
            assertEquals(got.getFirst().bodyText(), r.bodyText(), "same body on every retry");
        }
        JsonPath done = Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries").then().extract()
                .jsonPath();
        assertEquals("SUCCEEDED", done.getString("items[0].status"));
        assertEquals(3, done.getInt("items[0].attempts"));
        JsonPath detail = Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries/"
                + done.getString("items[0].id")).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(200, 500, 500), detail.getList("attempts.statusCode", Integer.class));
        assertEquals("oops", detail.getString("attempts[2].responseBody"));
        Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0]).then().body("failingSince",
                org.hamcrest.Matchers.nullValue());
    }

    @Test
    void afterTheLastRetryTheDeliveryFailsAndAfterDaysOfFailuresTheEndpointIsDisabledWithANotice()
            throws Exception {
        String[] failing = register(hooks, "/down", "user.billable.changed");
        String[] watcher = register(hooks, "/watcher", "webhook.endpoint.disabled");
        receiver.answer(r -> r.path().equals("/down") ? Answer.status(503) : Answer.status(204));
        createUser(client);
        dispatcher.deliverDue();
        // the schedule runs out: the 10th failed attempt gives up
        sql("UPDATE webhook_delivery SET schedule_step = 9 WHERE endpoint_id = ?", UUID.fromString(failing[0]));
        timePasses(failing[0]);
        dispatcher.deliverDue();
        Api.as(Tokens.operator()).get(hooks + "/" + failing[0] + "/deliveries").then()
                .body("items[0].status", equalTo("FAILED")).body("items[0].lastStatusCode", equalTo(503));
        Api.as(Tokens.operator()).get(hooks + "/" + failing[0]).then().body("enabled", equalTo(true));
        // it has now failed for five days: the next failure disables it
        sql("UPDATE webhook_endpoint SET failing_since = ? WHERE id = ?", clock.now().minus(Duration.ofDays(5)),
                UUID.fromString(failing[0]));
        createUser(client);
        dispatcher.deliverDue();
        JsonPath disabled = Api.as(Tokens.operator()).get(hooks + "/" + failing[0]).then().extract().jsonPath();
        assertFalse(disabled.getBoolean("enabled"));
        assertTrue(disabled.getString("disabledReason").contains("failed"), disabled.getString("disabledReason"));
        assertNotNull(disabled.getString("disabledAt"));
        // the notice: a webhook.endpoint.disabled event to the tenant's other endpoint
        dispatcher.deliverDue();
        List<Receiver.Request> notices = receiver.requests().stream().filter(r -> r.path().equals("/watcher"))
                .toList();
        assertEquals(1, notices.size());
        JsonNode notice = JSON.readTree(notices.getFirst().body());
        assertEquals("webhook.endpoint.disabled", notice.get("type").asText());
        assertEquals(failing[0], notice.get("data").get("endpointId").asText());
        assertTrue(verified(watcher[1], notices.getFirst()));
        // while disabled nothing is sent; events are kept as FAILED deliveries, and recover sends them
        int before = receiver.requests().size();
        UUID late = createUser(client);
        dispatcher.deliverDue();
        assertEquals(before, receiver.requests().size());
        Api.as(Tokens.operator()).get(hooks + "/" + failing[0] + "/deliveries?status=FAILED").then()
                .body("items.size()", equalTo(3));
        Api.as(Tokens.operator()).body(Map.of("since", clock.now().minusSeconds(3600).toString()))
                .post(hooks + "/" + failing[0] + "/recover").then().statusCode(409);
        receiver.answer(r -> Answer.status(204));
        Api.as(Tokens.operator()).body(Map.of("enabled", true)).patch(hooks + "/" + failing[0]).then()
                .statusCode(200).body("enabled", equalTo(true)).body("disabledReason", org.hamcrest.Matchers.nullValue());
        Api.as(Tokens.operator()).body(Map.of("since", clock.now().minusSeconds(3600).toString()))
                .post(hooks + "/" + failing[0] + "/recover").then().statusCode(202).body("requeued", equalTo(3));
        dispatcher.deliverDue();
        List<String> recovered = receiver.requests().stream().filter(r -> r.path().equals("/down"))
                .map(Receiver.Request::bodyText).toList();
        assertTrue(recovered.stream().anyMatch(b -> b.contains(late.toString())), "the event of the disabled time");
        Api.as(Tokens.operator()).get(hooks + "/" + failing[0] + "/deliveries?status=FAILED").then()
                .body("items.size()", equalTo(0));
    }

    @Test
    void goneDisablesAtOnce() throws Exception {
        String[] endpoint = register(hooks, "/gone", "user.billable.changed");
        receiver.answer(r -> Answer.status(410));
        createUser(client);
        dispatcher.deliverDue();
        Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0]).then().body("enabled", equalTo(false))
                .body("disabledReason", equalTo("the endpoint answered 410 Gone"));
        Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries").then()
                .body("items[0].status", equalTo("FAILED"));
    }

    @Test
    void redeliverSendsTheSameEventAgainAndTheLogSaysItWasManual() throws Exception {
        String[] endpoint = register(hooks, "/again", "user.billable.changed");
        createUser(client);
        dispatcher.deliverDue();
        String delivery = Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries").then()
                .extract().path("items[0].id");
        Api.as(Tokens.mspAdmin(msp)).post(hooks + "/" + endpoint[0] + "/deliveries/" + delivery + "/redeliver").then()
                .statusCode(202).body("status", equalTo("PENDING"));
        dispatcher.deliverDue();
        List<Receiver.Request> got = receiver.requests();
        assertEquals(2, got.size());
        assertEquals(got.get(0).header("webhook-id"), got.get(1).header("webhook-id"));
        assertTrue(verified(endpoint[1], got.get(1)));
        JsonPath detail = Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries/" + delivery).then()
                .extract().jsonPath();
        assertEquals("SUCCEEDED", detail.getString("delivery.status"));
        assertEquals(List.of(true, false), detail.getList("attempts.manual", Boolean.class));
        // a client admin may not touch the MSP's endpoint
        UUID ignored = client;
        Api.as(Tokens.clientAdmin(msp, ignored)).post(hooks + "/" + endpoint[0] + "/deliveries/" + delivery
                + "/redeliver").then().statusCode(403);
    }

    @Test
    void duringARotationsOverlapBothSecretsSignAndAfterItOnlyTheNewOne() throws Exception {
        String[] endpoint = register(hooks, "/rotate", "user.billable.changed");
        String rotated = Api.as(Tokens.operator()).body(Map.of("overlapMinutes", 60))
                .post(hooks + "/" + endpoint[0] + "/rotate-secret").then().statusCode(200).extract().path("secret");
        createUser(client);
        dispatcher.deliverDue();
        Receiver.Request during = receiver.requests().getFirst();
        assertEquals(2, during.header("webhook-signature").split(" ").length);
        assertTrue(verified(rotated, during), "the new secret verifies");
        assertTrue(verified(endpoint[1], during), "receivers still on the old secret keep working");
        receiver.clear();
        String again = Api.as(Tokens.operator()).body(Map.of("overlapMinutes", 0))
                .post(hooks + "/" + endpoint[0] + "/rotate-secret").then().statusCode(200).extract().path("secret");
        assertNotEquals(rotated, again);
        createUser(client);
        dispatcher.deliverDue();
        Receiver.Request after = receiver.requests().getFirst();
        assertEquals(1, after.header("webhook-signature").split(" ").length);
        assertTrue(verified(again, after));
        assertFalse(verified(rotated, after));
        assertFalse(verified(endpoint[1], after));
    }

    @Test
    void aDisabledOrDeletedEndpointGetsNothingAndItsQueueDisappearsWithIt() throws Exception {
        String[] endpoint = register(hooks, "/bye", "user.billable.changed");
        Api.as(Tokens.operator()).body(Map.of("enabled", false)).patch(hooks + "/" + endpoint[0]).then()
                .statusCode(200).body("enabled", equalTo(false)).body("disabledReason",
                        equalTo("disabled by test-operator"));
        createUser(client);
        dispatcher.deliverDue();
        assertEquals(0, receiver.requests().size());
        Api.as(Tokens.operator()).get(hooks + "/" + endpoint[0] + "/deliveries").then()
                .body("items[0].status", equalTo("FAILED"));
        Api.as(Tokens.operator()).delete(hooks + "/" + endpoint[0]).then().statusCode(204);
        assertEquals(0, count("SELECT COUNT(*) FROM webhook_delivery WHERE endpoint_id = ?",
                UUID.fromString(endpoint[0])));
    }
}
