package io.usersync.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A replica started with {@code usersync.sync.worker.enabled=false} executes no run, not even inside an API
 * request ({@link SyncWorker#runNowIfFree}); the run waits for an enabled replica. The disabled replica is a second
 * {@link SyncWorker} in the test application, configured like the real one except for the flag (a test profile
 * would restart the application and its shared emulators under the other test classes).
 */
@QuarkusTest
class WorkerDisabledTest {

    @Inject
    SyncConfig config;

    @Inject
    SyncRunner runner;

    @Inject
    SyncRuns runs;

    @Inject
    AppClock clock;

    @Inject
    EntityManager em;

    @Inject
    SyncWorker enabledReplica;

    private SyncWorker disabledReplica() {
        SyncConfig.Worker worker = config.worker();
        SyncConfig.Worker off = (SyncConfig.Worker) Proxy.newProxyInstance(SyncConfig.Worker.class.getClassLoader(),
                new Class<?>[] { SyncConfig.Worker.class },
                (proxy, method, args) -> method.getName().equals("enabled") ? Boolean.FALSE
                        : method.invoke(worker, args));
        SyncConfig disabled = (SyncConfig) Proxy.newProxyInstance(SyncConfig.class.getClassLoader(),
                new Class<?>[] { SyncConfig.class },
                (proxy, method, args) -> method.getName().equals("worker") ? off : method.invoke(config, args));
        SyncWorker replica = new SyncWorker(disabled);
        replica.config = disabled;
        replica.runner = runner;
        replica.runs = runs;
        replica.clock = clock;
        replica.em = em;
        return replica;
    }

    @Test
    void aReplicaWithWorkersDisabledLeavesARunToAnEnabledReplicaInsteadOfRunningItInTheRequest() {
        UUID msp = Api.createMsp("workers off " + UUID.randomUUID());
        UUID client = Api.createClient(msp, "workers off client", Map.of())[0];
        String token = Tokens.mspAdmin(msp);
        UUID connection = UUID.fromString(Api.as(token).body(Map.of("provider", "M365", "enabled", false,
                "m365", ((Map<?, ?>) ConnectionApiTest.m365Body().get("m365")))).post("/api/clients/" + client
                        + "/connections").then().statusCode(201).extract().path("id"));
        UUID runId = QuarkusTransaction.requiringNew().call(() -> {
            SyncRun run = SyncRuns.newRun(DirectoryConnection.findById(connection), RunTrigger.DENY_LIST, false,
                    "test", clock.now());
            run.persist();
            return run.id;
        });

        SyncWorker disabled = disabledReplica();
        assertFalse(disabled.runNowIfFree(connection, runId), "a replica with workers disabled ran the run");

        enabledReplica.wakeUp();
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        SyncRun ended;
        while (true) {
            ended = QuarkusTransaction.requiringNew().call(() -> SyncRun.<SyncRun>findById(runId));
            if (ended.status.isTerminal()) {
                break;
            }
            assertTrue(Instant.now().isBefore(giveUp), "the enabled replica did not run it: " + ended.status);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertEquals(RunStatus.SUCCEEDED, ended.status);
        assertEquals(enabledReplica.instanceId(), ended.owner, "run by the enabled replica");
        assertNotEquals(disabled.instanceId(), ended.owner);
    }
}
