package io.usersync.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookStartupRefusalTest {

    @Test
    void loopbackEndpointsAreRefusedOutsideTestDevAndDemo() {
        assertTrue(WebhookDispatcher.refusal(List.of("prod"), true).orElseThrow()
                .contains("usersync.webhooks.allow-loopback"));
        assertTrue(WebhookDispatcher.refusal(List.of("staging"), true).isPresent());
        assertEquals(Optional.empty(), WebhookDispatcher.refusal(List.of("prod"), false));
        for (String profile : List.of("test", "dev", "demo")) {
            assertEquals(Optional.empty(), WebhookDispatcher.refusal(List.of(profile), true), profile);
        }
    }
}
