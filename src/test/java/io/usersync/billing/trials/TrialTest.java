package io.usersync.billing.trials;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.billing.BillingTestSupport;
import io.usersync.billing.TestClock;
import io.usersync.billing.api.Trials;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import io.usersync.common.Jdbc;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.usersync.webhook.Receiver;
import io.usersync.webhook.WebhookDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a trial ends. It has an end (30 days by default), MSP admins may move it within that, the MSP's usage
 * shows it, and at the end a TRIAL_ENDED notice is raised once and stays open until the account is converted.
 * (With {@code on-end=activate} see {@link TrialActivateTest}.)
 */
@QuarkusTest
class TrialTest {

    static final String PROBLEM = "application/problem+json";

    @Inject
    BillingTestSupport billing;

    @Inject
    Trials trials;

    @Inject
    DataSource dataSource;

    @Inject
    WebhookDispatcher dispatcher;

    Receiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void restoreClock() {
        billing.restoreClock();
        receiver.close();
    }

    static String client(UUID client) {
        return "/api/clients/" + client;
    }

    static JsonPath usage(UUID msp) {
        return Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/usage").then().statusCode(200)
                .extract().jsonPath();
    }

    static JsonPath notices(UUID msp) {
        return Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/notices").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void aTrialEndsWithANoticeThatStaysOpenUntilTheAccountIsConverted() throws Exception {
        TestClock clock = billing.useClock("2025-01-10T09:00:00Z");
        UUID msp = Api.createMsp("trial msp");
        UUID client = Api.createClient(msp, "trial client", Map.of("status", "TRIAL"))[0];
        Api.createUser(client, "user@trial.example", true);
        // an MSP endpoint for billing notices, at a local receiver (tests deliver by calling the dispatcher)
        Api.as(Tokens.operator()).body(Map.of("url", receiver.url("/notices"), "eventTypes",
                List.of("billing.notice.raised"))).post("/api/msps/" + msp + "/webhooks").then().statusCode(201);
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().statusCode(200)
                .body("status", equalTo("TRIAL"))
                .body("trialStartedAt", equalTo("2025-01-10T09:00:00Z"))
                .body("trialEndsAt", equalTo("2025-02-09T09:00:00Z"));
        billing.drain();
        JsonPath live = usage(msp);
        assertEquals(0, live.getInt("currentBillableUsers"));
        assertEquals(client.toString(), live.getString("trials[0].clientId"));
        assertEquals("trial client", live.getString("trials[0].name"));
        assertEquals("2025-02-09T09:00:00Z", live.getString("trials[0].trialEndsAt"));
        assertEquals(false, live.getBoolean("trials[0].ended"));
        assertEquals("NOTICE", live.getString("trials[0].onEnd"));

        // the end moves within the longest trial only, by the MSP's admins and operators
        String trial = client(client) + "/trial";
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("trialEndsAt", "2025-02-09T09:00:01Z")).put(trial).then()
                .statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("trialEndsAt"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("trialEndsAt", "2025-01-09T00:00:00Z")).put(trial).then()
                .statusCode(400).body("errors[0].field", equalTo("trialEndsAt"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("trialEndsAt", "soon")).put(trial).then().statusCode(400)
                .body("errors[0].field", equalTo("trialEndsAt"));
        Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("trialEndsAt", "2025-02-01T00:00:00Z")).put(trial)
                .then().statusCode(403);
        Api.as(Tokens.mspAdmin(Api.createMsp("other trial msp"))).body(Map.of("trialEndsAt", "2025-02-01T00:00:00Z"))
                .put(trial).then().statusCode(404);
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("trialEndsAt", "2025-02-01T00:00:00Z")).put(trial).then()
                .statusCode(200).body("trialEndsAt", equalTo("2025-02-01T00:00:00Z"));
        JsonPath history = Api.as(Tokens.mspAdmin(msp)).get(client(client) + "/status-history").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("CREATED", "TRIAL_END"), history.getList("items.kind"));
        assertEquals("2025-02-09T09:00:00Z", history.getString("items[0].trialEndsAt"));
        assertEquals("2025-02-01T00:00:00Z", history.getString("items[1].trialEndsAt"));
        assertEquals("test-msp-admin", history.getString("items[1].actor"));

        trials.endDueTrials();
        assertEquals(List.of(), notices(msp).getList("$"), "not ended yet");

        clock.set("2025-02-01T00:00:30Z");
        trials.endDueTrials();
        trials.endDueTrials(); // once per trial end
        JsonPath notices = notices(msp);
        assertEquals(1, notices.getList("$").size());
        assertEquals("TRIAL_ENDED", notices.getString("[0].kind"));
        assertEquals(true, notices.getBoolean("[0].open"));
        assertEquals(client.toString(), notices.getString("[0].clientId"));
        assertEquals("2025-02-01T00:00:00Z", notices.getString("[0].trialEndedAt"));
        assertEquals("2025-02-01T00:00:30Z", notices.getString("[0].raisedAt"));
        assertNull(notices.get("[0].outstanding"));
        List<String> payloads = webhookPayloads(msp);
        assertEquals(1, payloads.size(), "one billing.notice.raised webhook: " + payloads);
        assertTrue(payloads.get(0).contains("\"kind\":\"TRIAL_ENDED\""), payloads.get(0));
        assertTrue(payloads.get(0).contains("\"trialEndedAt\":\"2025-02-01T00:00:00Z\""), payloads.get(0));
        dispatcher.deliverDue(); // delivered, so nothing is left pending for other tests
        assertTrue(receiver.requests().stream().anyMatch(r -> r.path().equals("/notices")
                && r.bodyText().contains("TRIAL_ENDED")), "the notice reached the MSP's endpoint");
        Api.as(Tokens.mspAdmin(msp)).get(client(client)).then().body("status", equalTo("TRIAL"));
        billing.drain();
        live = usage(msp);
        assertEquals(0, live.getInt("currentBillableUsers"), "on-end=notice: still unbilled, but never silent");
        assertEquals(true, live.getBoolean("trials[0].ended"));

        clock.set("2025-02-03T10:00:00Z");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "ACTIVE")).put(client(client) + "/status").then()
                .statusCode(200).body("trialEndsAt", nullValue()).body("trialStartedAt", nullValue());
        trials.endDueTrials();
        notices = notices(msp);
        assertEquals(false, notices.getBoolean("[0].open"));
        assertEquals("2025-02-03T10:00:00Z", notices.getString("[0].clearedAt"));
        billing.drain();
        live = usage(msp);
        assertEquals(2, live.getInt("currentBillableUsers"));
        assertEquals(List.of(), live.getList("trials"));
    }

    List<String> webhookPayloads(UUID msp) throws Exception {
        List<String> payloads = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT payload FROM webhook_message WHERE msp_id = ? AND event_type = 'billing.notice.raised'")) {
            s.setBytes(1, Jdbc.bytes(msp));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    payloads.add(rs.getString(1));
                }
            }
        }
        return payloads;
    }

    @Test
    void onlyAnOperatorPutsABilledAccountBackOnTrial() {
        billing.useClock("2025-03-03T12:00:00Z");
        UUID msp = Api.createMsp("no re-trial msp");
        UUID client = Api.createClient(msp, "active client", Map.of())[0];
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("trialEndsAt", "2025-03-10T00:00:00Z")).put(client(client)
                + "/trial").then().statusCode(409).contentType(PROBLEM).body("code", equalTo("conflict"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("status", "TRIAL")).put(client(client) + "/status").then()
                .statusCode(403).contentType(PROBLEM).body("code", equalTo("forbidden"));
        billing.drain();
        assertEquals(1, usage(msp).getInt("currentBillableUsers"), "the refused switch stops no billing");
        Api.as(Tokens.operator()).body(Map.of("status", "TRIAL")).put(client(client) + "/status").then()
                .statusCode(200).body("status", equalTo("TRIAL"))
                .body("trialStartedAt", equalTo("2025-03-03T12:00:00Z"))
                .body("trialEndsAt", equalTo("2025-04-02T12:00:00Z"));
    }
}
