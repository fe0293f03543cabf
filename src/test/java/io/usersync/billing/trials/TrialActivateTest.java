package io.usersync.billing.trials;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.usersync.billing.BillingTestSupport;
import io.usersync.billing.TestClock;
import io.usersync.billing.api.Trials;
import io.usersync.billing.internal.trials.TrialMonitor;
import io.usersync.tenant.TrialConfig;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With {@code usersync.billing.trial.on-end=activate} an ended trial becomes ACTIVE, billed from its end. */
@QuarkusTest
class TrialActivateTest {

    @Inject
    BillingTestSupport billing;

    @Inject
    Trials trials;

    @Inject
    TrialMonitor monitor;

    @BeforeEach
    void activate() {
        // what usersync.billing.trial.on-end=activate selects; a @TestProfile would restart Quarkus mid-suite
        monitor.overrideOnEnd(TrialConfig.OnEnd.ACTIVATE);
    }

    @AfterEach
    void restore() {
        monitor.restoreOnEnd();
        billing.restoreClock();
    }

    @Test
    void anEndedTrialBecomesActiveAndIsBilledFromItsEnd() {
        TestClock clock = billing.useClock("2025-05-02T08:00:00Z");
        UUID msp = Api.createMsp("activating msp");
        UUID client = Api.createClient(msp, "activating client", Map.of("status", "TRIAL"))[0];
        Api.createUser(client, "user@activate.example", true);
        Api.as(Tokens.mspAdmin(msp)).get("/api/clients/" + client).then().body("trialEndsAt",
                equalTo("2025-06-01T08:00:00Z"));
        billing.drain();
        assertEquals("ACTIVATE", usage(msp).getString("trials[0].onEnd"));

        clock.set("2025-06-01T08:04:00Z"); // the job runs four minutes after the end
        trials.endDueTrials();
        trials.endDueTrials();
        Api.as(Tokens.mspAdmin(msp)).get("/api/clients/" + client).then().body("status", equalTo("ACTIVE"));
        JsonPath history = Api.as(Tokens.mspAdmin(msp)).get("/api/clients/" + client + "/status-history").then()
                .extract().jsonPath();
        assertEquals("STATUS", history.getString("items[1].kind"));
        assertEquals("ACTIVE", history.getString("items[1].newStatus"));
        assertEquals("system:billing-trials", history.getString("items[1].actor"));
        assertEquals("2025-06-01T08:00:00Z", history.getString("items[1].occurredAt"));
        JsonPath notices = Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/notices").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(1, notices.getList("$").size());
        assertEquals("TRIAL_ENDED", notices.getString("[0].kind"));
        assertEquals(false, notices.getBoolean("[0].open"), "nothing left to do");

        billing.drain();
        JsonPath live = usage(msp);
        assertEquals(2, live.getInt("currentBillableUsers"));
        assertEquals("2025-06-01T08:00:00Z", live.getString("runningPeak.at"), "billed from the trial's end");
    }

    static JsonPath usage(UUID msp) {
        return Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/usage").then().statusCode(200)
                .extract().jsonPath();
    }
}
