package io.usersync.webhook.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.webhook.Receiver;
import io.usersync.webhook.Receiver.Answer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery client against real local HTTP servers: SSRF refusals happen at connect time on the address actually
 * used (rebinding names, IP literals, IPv4-mapped IPv6), nothing is sent to a refused address, redirects are not
 * followed, time-outs and the answer-size cap bound every attempt.
 */
class WebhookHttpTest {

    static final byte[] BODY = "{\"type\":\"test\"}".getBytes(StandardCharsets.UTF_8);

    Receiver receiver;
    Receiver elsewhere;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
        elsewhere = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        elsewhere.close();
    }

    static WebhookHttp client(boolean allowLoopback, Resolver resolver) {
        return new WebhookHttp(new WebhookHttp.Settings(allowLoopback, Duration.ofSeconds(2), Duration.ofSeconds(2),
                1024, 4), resolver);
    }

    @Test
    void aNameThatRebindsToLoopbackIsRefusedAtDeliveryAndNothingIsSent() {
        // registered while it pointed to a public address; now it answers 127.0.0.1 (DNS rebinding)
        AtomicInteger lookups = new AtomicInteger();
        Resolver rebinding = host -> {
            lookups.incrementAndGet();
            return new InetAddress[] { InetAddress.getLoopbackAddress() };
        };
        WebhookHttp.Result result = client(false, rebinding).post("http://hooks.example.com:" + receiver.port()
                + "/hook", Map.of(), BODY);
        assertTrue(result.refused(), result.toString());
        assertNull(result.statusCode());
        assertTrue(result.error().contains("loopback"), result.error());
        assertEquals(1, lookups.get());
        assertEquals(0, receiver.requests().size(), "nothing reached the receiver");
    }

    @Test
    void theSocketChecksTheAddressItConnectsToEvenWhenNameResolutionIsBypassed() {
        // IP-literal hosts never go through the DNS step: the socket-level check refuses them
        for (String url : new String[] { "http://127.0.0.1:" + receiver.port() + "/",
                "http://[::ffff:127.0.0.1]:" + receiver.port() + "/", "http://[::1]:" + receiver.port() + "/",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[fd00:ec2::254]/",
                "http://0.0.0.0:" + receiver.port() + "/" }) {
            long start = System.nanoTime();
            WebhookHttp.Result result = client(false, h -> {
                throw new AssertionError("IP literals are not resolved");
            }).post(url, Map.of(), BODY);
            assertTrue(result.refused(), url + " -> " + result);
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1500, "refused before any connection attempt: " + url);
        }
        assertEquals(0, receiver.requests().size());
        // and a resolver that lets an internal address through is still caught at the socket
        WebhookHttp.Result sneaky = new WebhookHttp(new WebhookHttp.Settings(false, Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1024, 4), Resolver.SYSTEM).post("http://localhost:" + receiver.port() + "/",
                        Map.of(), BODY);
        assertTrue(sneaky.refused(), sneaky.toString());
        assertEquals(0, receiver.requests().size());
    }

    @Test
    void loopbackIsReachableOnlyWhenAllowedAndAnswersAreRecorded() {
        receiver.answer(r -> new Answer(201, "thanks", Map.of(), 0));
        WebhookHttp.Result ok = client(true, Resolver.SYSTEM).post(receiver.url("/hook"),
                Map.of("webhook-id", "abc"), BODY);
        assertEquals(201, ok.statusCode());
        assertTrue(ok.succeeded());
        assertEquals("thanks", ok.responseBody());
        assertEquals("abc", receiver.requests().getFirst().header("webhook-id"));
        assertEquals("application/json", receiver.requests().getFirst().header("Content-Type")
                .toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void redirectsAreNotFollowed() {
        receiver.answer(r -> new Answer(302, "", Map.of("Location", elsewhere.url("/internal")), 0));
        WebhookHttp.Result result = client(true, Resolver.SYSTEM).post(receiver.url("/hook"), Map.of(), BODY);
        assertEquals(302, result.statusCode());
        assertTrue(!result.succeeded());
        assertEquals(0, elsewhere.requests().size(), "the redirect target was never called");
        receiver.answer(r -> new Answer(307, "", Map.of("Location", "http://169.254.169.254/latest/meta-data/"), 0));
        assertEquals(307, client(true, Resolver.SYSTEM).post(receiver.url("/hook"), Map.of(), BODY).statusCode());
    }

    @Test
    void slowReceiversTimeOutAndLargeAnswersAreCapped() {
        receiver.answer(r -> new Answer(200, "", Map.of(), 5000));
        long start = System.nanoTime();
        WebhookHttp.Result slow = client(true, Resolver.SYSTEM).post(receiver.url("/slow"), Map.of(), BODY);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertNull(slow.statusCode(), slow.toString());
        assertTrue(slow.error().contains("no answer within"), slow.error());
        assertTrue(took < 4500, "the attempt ended at its time-out, not the receiver's pace: " + took + " ms");

        String huge = "x".repeat(5_000_000);
        receiver.answer(r -> new Answer(200, huge, Map.of(), 0));
        WebhookHttp.Result big = client(true, Resolver.SYSTEM).post(receiver.url("/big"), Map.of(), BODY);
        assertEquals(200, big.statusCode());
        assertTrue(big.responseBody().length() <= 1000, "only the start of the answer is kept");
    }

    @Test
    void retryAfterIsRead() {
        receiver.answer(r -> new Answer(429, "", Map.of("Retry-After", "120"), 0));
        WebhookHttp.Result result = client(true, Resolver.SYSTEM).post(receiver.url("/"), Map.of(), BODY);
        assertEquals(429, result.statusCode());
        assertEquals(Duration.ofSeconds(120), result.retryAfter());
    }
}
