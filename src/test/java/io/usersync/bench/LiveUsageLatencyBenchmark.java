package io.usersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue item 5: a steady stream of billable-state changes (new active users created through the API at
 * {@code bench.rate} per second, default 20, for {@code bench.seconds}, default 30) while another thread reads the
 * live usage ({@code GET /api/msps/{id}/billing/usage}) back to back. The latency of change k is the time from the
 * end of its request (committed) to the first usage answer that counts it; it includes the reader's resolution
 * (one usage round trip), which is the baseline.
 */
class LiveUsageLatencyBenchmark {

    private final Bench bench = Bench.get();

    @AfterAll
    static void publish() {
        Results.publish();
    }

    @Test
    void stateChangeToLiveUsage() throws Exception {
        int rate = Bench.intProperty("bench.rate", 20);
        int seconds = Bench.intProperty("bench.seconds", 30);
        UUID msp = bench.createMsp("bench live usage " + UUID.randomUUID());
        UUID client = bench.createClient(msp, "live usage");
        measure(msp, client, rate, Math.max(3, seconds / 5), false); // warm-up
        measure(msp, client, rate, seconds, true);
    }

    private void measure(UUID msp, UUID client, int rate, int seconds, boolean report) throws Exception {
        String usagePath = "/api/msps/" + msp + "/billing/usage";
        long base = awaitStable(usagePath);
        int changes = rate * seconds;
        long[] committed = new long[changes];
        List<long[]> observations = new ArrayList<>(); // [time, count]
        List<Long> readLatencies = new ArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread reader = Thread.ofPlatform().name("bench-usage-reader").start(() -> {
            long last = base;
            while (writing.get() || last < base + changes) {
                long sent = System.nanoTime();
                long count = bench.get(usagePath, bench.operator()).get("currentBillableUsers").asLong();
                long received = System.nanoTime();
                synchronized (observations) {
                    observations.add(new long[] { received, count });
                    readLatencies.add(received - sent);
                }
                last = count;
                if (received - sent > 0 && !writing.get() && System.nanoTime() - committed[changes - 1] > 30e9) {
                    break; // something never arrived; reported below
                }
            }
        });
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int k = 0; k < changes; k++) {
            long due = start + k * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            bench.call("POST", "/api/clients/" + client + "/users", bench.operator(), Map.of("firstName", "Live",
                    "lastName", "User" + k, "email", "live." + UUID.randomUUID() + "@bench-live.example"), 201);
            committed[k] = System.nanoTime();
        }
        writing.set(false);
        reader.join();
        if (!report) {
            return;
        }
        double[] latency = new double[changes];
        int missing = 0;
        int next = 0;
        List<long[]> obs;
        synchronized (observations) {
            obs = List.copyOf(observations);
        }
        for (int k = 0; k < changes; k++) {
            long needed = base + k + 1;
            while (next < obs.size() && (obs.get(next)[1] < needed || obs.get(next)[0] < committed[k])) {
                next++;
            }
            if (next == obs.size()) {
                missing++;
                latency[k] = Double.NaN;
                continue;
            }
            latency[k] = (obs.get(next)[0] - committed[k]) / 1e6;
        }
        double[] seen = Arrays.stream(latency).filter(d -> !Double.isNaN(d)).sorted().toArray();
        double[] reads = readLatencies.stream().mapToDouble(l -> l / 1e6).sorted().toArray();
        double p50 = percentile(seen, 50);
        double p99 = percentile(seen, 99);
        String note = String.format(Locale.ROOT, "%d changes at %d/s; max %.0f ms; %d never observed; %d usage"
                + " reads; load %s", changes, rate, seen.length == 0 ? Double.NaN : seen[seen.length - 1], missing,
                reads.length, Machine.loadAverage());
        Results.add("5 live usage", "state change → live usage, p50", p50, "ms", "usage read p50",
                percentile(reads, 50), null, null, note);
        Results.add("5 live usage", "state change → live usage, p99", p99, "ms", "usage read p99",
                percentile(reads, 99), "p99 ≤ 1,000 ms", missing == 0 && p99 <= 1000, note);
    }

    /** The usage once billing has caught up (no pending events). */
    private long awaitStable(String usagePath) {
        for (int i = 0; i < 600; i++) {
            JsonNode usage = bench.get(usagePath, bench.operator());
            if (usage.get("pendingEvents").asLong() == 0) {
                return usage.get("currentBillableUsers").asLong();
            }
            Bench.sleep(100);
        }
        throw new IllegalStateException("billing never caught up");
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
