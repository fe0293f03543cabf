package io.usersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.usersync.webhook.Receiver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: commit of an event → webhook delivered to a local receiver, at {@code bench.webhookRate} events per
 * second (default 100) for {@code bench.seconds} (default 30). Each event is a user created through the API (one
 * transaction: the user, its history, the billing outbox row and the webhook delivery); its latency is the time
 * from the end of that request (the commit has happened) to the receiver getting the signed POST. The receiver
 * runs in this JVM on 127.0.0.1 and answers 204 at once. The baseline is a bare POST from this JVM to the same
 * receiver: the floor of one HTTP delivery on this machine.
 */
class WebhookLatencyBenchmark {

    private final Bench bench = Bench.get();

    @AfterAll
    static void publish() {
        Results.publish();
    }

    @Test
    void commitToDelivery() throws Exception {
        int rate = Bench.intProperty("bench.webhookRate", 100);
        int seconds = Bench.intProperty("bench.seconds", 30);
        try (Receiver receiver = new Receiver()) {
            UUID msp = bench.createMsp("bench webhooks " + UUID.randomUUID());
            UUID client = bench.createClient(msp, "webhooks");
            bench.call("POST", "/api/msps/" + msp + "/webhooks", bench.operator(), Map.of("url",
                    receiver.url("/bench"), "eventTypes", List.of("user.billable.changed")), 201);
            double[] floor = floor(receiver, 500);
            measure(receiver, client, rate, Math.max(3, seconds / 5), false, floor); // warm-up
            receiver.clear();
            measure(receiver, client, rate, seconds, true, floor);
        }
    }

    /** Round trips of a bare POST to the receiver (sorted, ms). */
    private double[] floor(Receiver receiver, int n) throws Exception {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            HttpResponse<Void> response = bench.http.send(HttpRequest.newBuilder(java.net.URI.create(
                    receiver.url("/floor"))).POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"floor\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding());
            out[i] = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 204) {
                throw new IllegalStateException("receiver answered " + response.statusCode());
            }
        }
        receiver.clear();
        Arrays.sort(out);
        return out;
    }

    private void measure(Receiver receiver, UUID client, int rate, int seconds, boolean report, double[] floor)
            throws Exception {
        int events = rate * seconds;
        Map<String, Long> committed = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        List<Future<?>> sent = new ArrayList<>();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long cpuBefore = bench.serviceCpu().toMillis();
        for (int k = 0; k < events; k++) {
            long wait = start + k * interval - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            int n = k;
            sent.add(senders.submit(() -> {
                JsonNode user = bench.call("POST", "/api/clients/" + client + "/users", bench.operator(), Map.of(
                        "firstName", "Hook", "lastName", "User" + n, "email", "hook." + UUID.randomUUID()
                                + "@bench-hooks.example"), 201);
                committed.put(user.get("id").asText(), System.nanoTime());
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        long sendingEnded = System.nanoTime();
        senders.shutdown();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (receiver.requests().size() < events && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!report) {
            return;
        }
        double cpu = bench.serviceCpu().toMillis() - cpuBefore;
        List<Double> latencies = new ArrayList<>();
        int missing = events;
        for (Receiver.Request r : receiver.requests()) {
            JsonNode body = Bench.JSON.readTree(r.body());
            Long at = committed.get(body.get("data").get("userId").asText());
            if (at != null) {
                latencies.add(Math.max(0, (r.receivedNanos() - at) / 1e6));
                missing--;
            }
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double achieved = events / ((sendingEnded - start) / 1e9);
        String note = String.format(Locale.ROOT, "%d events at %d/s (achieved %.0f/s); max %.0f ms; %d never"
                + " delivered; service CPU %.1f s; load %s", events, rate, achieved, sorted.length == 0 ? Double.NaN
                        : sorted[sorted.length - 1], Math.max(0, missing), cpu / 1000, Machine.loadAverage());
        Results.add("14 webhooks", "commit → webhook delivered, p50", percentile(sorted, 50), "ms",
                "bare POST p50", percentile(floor, 50), null, null, note);
        double p99 = percentile(sorted, 99);
        Results.add("14 webhooks", "commit → webhook delivered, p99", p99, "ms", "bare POST p99",
                percentile(floor, 99), "p99 ≤ 1,000 ms at 100/s", missing == 0 && p99 <= 1000 && achieved >= rate * 0.95,
                note);
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
