package io.usersync.billing.internal.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The background consumer (disabled in the test profile, started here) makes API changes visible in the live
 * usage without anyone draining the outbox. How fast is for the benchmarks; this only bounds the wait.
 */
@QuarkusTest
class BackgroundConsumerTest {

    @Inject
    OutboxConsumer consumer;

    @Test
    void aStateChangeReachesTheLiveUsageOnItsOwn() throws Exception {
        consumer.startBackground();
        try {
            UUID msp = Api.createMsp("Live MSP");
            UUID client = Api.createClient(msp, "Live client", Map.of())[0];
            assertEquals(1, awaitBillable(msp, 1));
            Api.createUser(client, "second@live.example.com", true);
            assertEquals(2, awaitBillable(msp, 2));
        } finally {
            consumer.stopBackground();
        }
    }

    private static int awaitBillable(UUID msp, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int seen = -1;
        while (System.nanoTime() < deadline) {
            var response = Api.as(Tokens.mspAdmin(msp)).get("/api/msps/" + msp + "/billing/usage");
            if (response.statusCode() == 200) {
                seen = response.jsonPath().getInt("currentBillableUsers");
                if (seen == expected) {
                    return seen;
                }
            }
            Thread.sleep(50);
        }
        return seen;
    }
}
