package io.usersync.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.BillingTestSupport;
import io.usersync.billing.TestClock;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.internal.invoice.InvoiceCloser;
import io.usersync.sync.m365.GraphFixture;
import io.usersync.sync.port.DirectoryFixture.UserSpec;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emission points: sync run outcomes, sync's billable changes, invoices and billing notices reach webhooks. */
@QuarkusTest
class WebhookEmissionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingOperations operations;

    @Inject
    InvoiceCloser closer;

    Receiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
        dispatcher.deliverDue();
    }

    @AfterEach
    void stop() {
        billing.restoreClock();
        receiver.close();
    }

    List<JsonNode> received(String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Receiver.Request r : receiver.requests()) {
            JsonNode body = JSON.readTree(r.body());
            if (body.get("type").asText().equals(type)) {
                out.add(body.get("data"));
            }
        }
        return out;
    }

    @Test
    void syncRunsTellTheirOutcomeAndEachBillableChange() throws Exception {
        GraphFixture fixture = new GraphFixture();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(fixture.addUser(UserSpec.active("hooked" + i + "@" + fixture.tenant().domain(), "Hooked",
                    "User" + i)));
        }
        UUID msp = Api.createMsp("sync hooks " + UUID.randomUUID());
        UUID client = Api.createClient(msp, "sync hooks", Map.of())[0];
        Api.as(Tokens.operator()).body(Map.of("url", receiver.url("/client"), "eventTypes", List.of("sync.run.held",
                "sync.run.failed", "sync.run.succeeded", "user.billable.changed"))).post("/api/clients/" + client
                        + "/webhooks").then().statusCode(201);
        Map<String, Object> body = new HashMap<>(Map.of("provider", "M365", "enabled", false, "m365", Map.of(
                "tenantId", fixture.tenant().tenantId(), "clientId", fixture.clientId(), "clientSecret",
                "wrong-secret")));
        String connection = Api.as(Tokens.operator()).body(body).post("/api/clients/" + client + "/connections")
                .then().statusCode(201).extract().path("id");
        String base = "/api/clients/" + client + "/connections/" + connection;
        Api.as(Tokens.operator()).body(Map.of("scheduleMinutes", 10080, "enabled", true)).patch(base).then()
                .statusCode(200);

        String failedRun = run(client, base);
        Api.as(Tokens.operator()).body(Map.of("m365", Map.of("tenantId", fixture.tenant().tenantId(),
                "clientId", fixture.clientId(), "clientSecret", GraphFixture.SECRET))).patch(base).then()
                .statusCode(200);
        String succeededRun = run(client, base);
        for (String id : ids.subList(0, 11)) {
            fixture.deleteUser(id);
        }
        String heldRun = run(client, base);
        dispatcher.deliverDue();

        List<JsonNode> failed = received("sync.run.failed");
        assertEquals(1, failed.size());
        assertEquals(failedRun, failed.getFirst().get("runId").asText());
        assertEquals(connection, failed.getFirst().get("connectionId").asText());
        assertEquals("M365", failed.getFirst().get("provider").asText());
        assertTrue(!failed.getFirst().get("errorKind").isNull());
        List<JsonNode> succeeded = received("sync.run.succeeded");
        assertEquals(1, succeeded.size());
        assertEquals(succeededRun, succeeded.getFirst().get("runId").asText());
        assertEquals(12, succeeded.getFirst().get("counts").get("created").asInt());
        List<JsonNode> held = received("sync.run.held");
        assertEquals(1, held.size());
        assertEquals(heldRun, held.getFirst().get("runId").asText());
        assertTrue(held.getFirst().get("heldReason").asText().length() > 0);
        List<JsonNode> changes = received("user.billable.changed");
        assertEquals(12, changes.size(), "the 12 users the run created, none for the held run");
        for (JsonNode change : changes) {
            assertEquals("SYNC", change.get("cause").asText());
            assertEquals(succeededRun, change.get("syncRunId").asText());
            assertEquals("activated", change.get("change").asText());
        }
    }

    private static String run(UUID client, String base) {
        String runId = Api.as(Tokens.operator()).body(Map.of()).post(base + "/runs").then().statusCode(202).extract()
                .path("id");
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(giveUp)) {
            String status = Api.as(Tokens.operator()).get("/api/clients/" + client + "/sync-runs/" + runId).then()
                    .statusCode(200).extract().path("status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return runId;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("run " + runId + " did not end");
    }

    @Test
    void invoicesAndNoticesReachTheMspsEndpoints() throws Exception {
        TestClock clock = billing.useClock("2024-03-03T09:00:00Z");
        UUID msp = Api.createMsp("billing hooks " + UUID.randomUUID());
        Api.createClient(msp, "billed", Map.of()); // its administrator is a billable user
        Api.as(Tokens.operator()).body(Map.of("url", receiver.url("/billing"), "eventTypes",
                List.of("billing.invoice.issued", "billing.notice.raised"))).post("/api/msps/" + msp + "/webhooks")
                .then().statusCode(201);
        billing.drain();
        clock.set("2024-04-03T00:11:00Z"); // the first period ended 11 minutes ago
        assertEquals(1, closer.closeMsp(msp, clock.instant().minusSeconds(600)));
        clock.set("2024-05-04T00:00:00Z"); // the invoice is outstanding for more than 720 h
        operations.evaluateSuspensions();
        billing.restoreClock();
        dispatcher.deliverDue();

        List<JsonNode> invoices = received("billing.invoice.issued");
        assertEquals(1, invoices.size());
        JsonNode invoice = invoices.getFirst();
        assertEquals(msp.toString(), invoice.get("mspId").asText());
        assertEquals("MONTHLY", invoice.get("source").asText());
        assertEquals(0, invoice.get("periodIndex").asInt());
        assertEquals(200, invoice.get("totalMinor").asLong());
        assertEquals("EUR", invoice.get("currency").asText());
        String invoiceId = Api.as(Tokens.operator()).get("/api/msps/" + msp + "/billing/invoices").then()
                .statusCode(200).extract().path("items[0].id");
        assertEquals(invoiceId, invoice.get("invoiceId").asText());
        List<JsonNode> notices = received("billing.notice.raised");
        assertEquals(1, notices.size());
        assertEquals("SUSPENSION_RECOMMENDED", notices.getFirst().get("kind").asText());
        assertEquals(invoiceId, notices.getFirst().get("oldestInvoiceId").asText());
    }
}
