package io.usersync.sync.engine;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A replica started with {@code usersync.sync.worker.enabled=false} executes no run, not even inside a request. */
@QuarkusTest
@TestProfile(WorkerDisabledTest.WorkersOff.class)
class WorkerDisabledTest {

    public static class WorkersOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("usersync.sync.worker.enabled", "false");
        }
    }

    @Test
    void aDenyListChangeIsQueuedForAnEnabledReplicaInsteadOfRunInTheRequest() {
        UUID msp = Api.createMsp("workers off " + UUID.randomUUID());
        UUID client = Api.createClient(msp, "workers off client", Map.of())[0];
        String token = Tokens.mspAdmin(msp);
        String connection = Api.as(token).body(ConnectionApiTest.m365Body()).post("/api/clients/" + client
                + "/connections").then().statusCode(201).extract().path("id");
        String runId = Api.as(token).body(Map.of("entries", List.of("someone@example.com")))
                .post("/api/clients/" + client + "/connections/" + connection + "/deny-list").then().statusCode(200)
                .body("run.trigger", equalTo("DENY_LIST")).body("run.status", equalTo("QUEUED"))
                .extract().path("run.id");
        Api.as(token).get("/api/clients/" + client + "/sync-runs/" + runId).then().statusCode(200)
                .body("status", equalTo("QUEUED")).body("startedAt", org.hamcrest.Matchers.nullValue());
    }
}
