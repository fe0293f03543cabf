package io.usersync.billing.internal.payment;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.billing.internal.BillingConfig.Gateway;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The startup guard that keeps the recording fake out of production. */
class PaymentGatewaysTest {

    @Test
    void theRecordingFakeIsRefusedInProductionUnlessExplicitlyAllowed() {
        String refusal = PaymentGateways.refusal(Gateway.RECORDING, List.of("prod"), false);
        assertNotNull(refusal);
        assertTrue(refusal.contains("usersync.billing.payment.gateway=recording"), refusal);
        assertTrue(refusal.contains("allow-recording-gateway"), refusal);
        assertNotNull(PaymentGateways.refusal(Gateway.RECORDING, List.of("staging"), false), "any other profile");
        assertNull(PaymentGateways.refusal(Gateway.RECORDING, List.of("prod"), true), "explicitly allowed");
        for (String profile : List.of("test", "dev", "demo")) {
            assertNull(PaymentGateways.refusal(Gateway.RECORDING, List.of(profile), false), profile);
        }
        assertNull(PaymentGateways.refusal(Gateway.NONE, List.of("prod"), false));
        assertNull(PaymentGateways.refusal(Gateway.PROCESSOR, List.of("prod"), false));
    }
}
