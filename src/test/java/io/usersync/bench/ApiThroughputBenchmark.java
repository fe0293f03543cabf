package io.usersync.bench;

import io.usersync.testing.process.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue item 7: {@code wrk} (the Debian package, {@code /usr/bin/wrk}) on loopback against the users list and
 * the live-usage endpoint with a valid token minted by the jar's {@code mint-token} command. Baseline: the same
 * {@code wrk} against the service's liveness endpoint ({@code /q/health/live} on the management port: same HTTP stack and JVM, no
 * authentication, no database). CPU split: the service's CPU time (from its process) against wrk's (from the
 * shell's {@code times}), over the measured interval. {@code bench.wrk.threads} (1), {@code .connections} (32),
 * {@code .seconds} (15) and a 5-second warm-up per endpoint.
 */
class ApiThroughputBenchmark {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern P50 = Pattern.compile("\\n\\s+50%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s\\s*$");

    private final Bench bench = Bench.get();

    @AfterAll
    static void publish() {
        Results.publish();
    }

    record Wrk(double rate, double p50, double p99, long errors, double wrkCpu, double serviceCpu, double seconds) {
    }

    @Test
    void wrk() throws Exception {
        String token = ServiceProcess.run(Path.of("."), "mint-token", "--role", "operator").trim();
        UUID msp = bench.createMsp("bench api " + UUID.randomUUID());
        UUID client = bench.createClient(msp, "api throughput");
        int users = Bench.intProperty("bench.api.users", 100);
        for (int i = 1; i < users; i++) {
            bench.call("POST", "/api/clients/" + client + "/users", token, Map.of("firstName", "Api", "lastName",
                    "User" + i, "email", "api." + i + "@bench-api.example"), 201);
        }
        String usersPath = "/api/clients/" + client + "/users";
        String usagePath = "/api/msps/" + msp + "/billing/usage";
        bench.get(usagePath, token);

        Wrk health = wrk("/q/health/live", null);
        Wrk list = wrk(usersPath, token);
        Wrk usage = wrk(usagePath, token);
        String load = Machine.loadAverage();
        report("users list (" + users + " users, first page)", list, health, load);
        report("live usage", usage, health, load);
        Results.add("7 API throughput", "baseline /q/health/live (no auth, no DB)", health.rate(), "req/s",
                String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms; CPU wrk %.1f s / service %.1f s", health.p50(),
                        health.p99(), health.wrkCpu(), health.serviceCpu()));
    }

    private void report(String name, Wrk result, Wrk health, String load) {
        boolean met = result.rate() >= 5000 && result.p99() <= 20 && result.errors() == 0;
        double cpuTotal = result.wrkCpu() + result.serviceCpu();
        String note = String.format(Locale.ROOT, "p50 %.2f ms; %d non-2xx; service CPU %.2f ms/request; CPU over %.0f s:"
                + " service %.1f s (%.0f %%), wrk %.1f s (%.0f %%) of %d cores; load %s", result.p50(), result.errors(),
                1000 * result.serviceCpu() / (result.rate() * result.seconds()), result.seconds(),
                result.serviceCpu(), 100 * result.serviceCpu() / cpuTotal, result.wrkCpu(),
                100 * result.wrkCpu() / cpuTotal, Machine.cores(), load);
        Results.add("7 API throughput", name + ": throughput", result.rate(), "req/s", "health",
                health.rate(), "≥ 5,000 req/s", result.rate() >= 5000, note);
        Results.add("7 API throughput", name + ": p99 latency", result.p99(), "ms", "health p99", health.p99(),
                "≤ 20 ms", result.p99() <= 20, met ? "both targets met" : "target missed");
    }

    private Wrk wrk(String path, String token) throws Exception {
        int threads = Bench.intProperty("bench.wrk.threads", 1);
        int connections = Bench.intProperty("bench.wrk.connections", 32);
        int seconds = Bench.intProperty("bench.wrk.seconds", 15);
        run(path, token, threads, connections, 5); // warm-up
        Duration before = bench.serviceCpu();
        String out = run(path, token, threads, connections, seconds);
        double serviceCpu = (bench.serviceCpu().toMillis() - before.toMillis()) / 1000.0;
        System.out.println("[bench] wrk " + path + "\n" + out);
        double rate = Double.parseDouble(group(RATE, out, "0"));
        Matcher times = TIMES.matcher(out.trim());
        double wrkCpu = 0;
        if (times.find()) {
            wrkCpu = Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                    + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4));
        }
        return new Wrk(rate, millis(P50, out), millis(P99, out), Long.parseLong(group(NON_2XX, out, "0")), wrkCpu,
                serviceCpu, seconds);
    }

    private String run(String path, String token, int threads, int connections, int seconds) throws Exception {
        List<String> wrk = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency"));
        if (token != null) {
            wrk.add("-H");
            wrk.add("'Authorization: Bearer " + token + "'");
        }
        wrk.add("'" + bench.uri(path) + "'");
        // the shell's "times" prints the CPU time of its children (wrk) as its last line
        Process p = new ProcessBuilder("bash", "-c", String.join(" ", wrk) + "; times").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }

    private static String group(Pattern pattern, String text, String fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }

    private static double millis(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
