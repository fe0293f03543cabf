package io.usersync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one benchmark JVM. Every benchmark adds its rows and prints the whole table so far when it ends
 * (the last table printed is the suite's); the table is also written to {@code target/bench/results.md}. Never
 * asserts anything about time: a missed target is a row that says so.
 */
final class Results {

    /**
     * One figure: the absolute value, the baseline measured in the same run (if any) and their ratio, the
     * product target and whether it was met.
     */
    record Row(String benchmark, String figure, double value, String unit, String baseline, double baselineValue,
            String target, Boolean met, String note) {
        double ratio() {
            return baselineValue > 0 ? value / baselineValue : Double.NaN;
        }
    }

    private static final List<Row> ROWS = new ArrayList<>();
    private static final String STARTED = Instant.now().toString();

    private Results() {
    }

    static synchronized void add(String benchmark, String figure, double value, String unit, String baseline,
            double baselineValue, String target, Boolean met, String note) {
        Row row = new Row(benchmark, figure, value, unit, baseline, baselineValue, target, met, note);
        ROWS.add(row);
        System.out.printf(Locale.ROOT, "[bench] %s | %s = %s %s%s%s%n", benchmark, figure, number(value), unit,
                baselineValue > 0 ? String.format(Locale.ROOT, " (%.2fx %s %s %s)", row.ratio(), baseline,
                        number(baselineValue), unit) : "", target == null ? "" : " target " + target
                        + (met == null ? "" : met ? " MET" : " MISSED"));
    }

    static void add(String benchmark, String figure, double value, String unit, String note) {
        add(benchmark, figure, value, unit, null, 0, null, null, note);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static synchronized String table() {
        StringBuilder out = new StringBuilder();
        out.append("| Benchmark | Figure | Value | Baseline (same run) | Ratio | Target | Met | Note |\n");
        out.append("|---|---|---:|---|---:|---|---|---|\n");
        for (Row r : ROWS) {
            out.append("| ").append(r.benchmark()).append(" | ").append(r.figure()).append(" | ")
                    .append(number(r.value())).append(' ').append(r.unit()).append(" | ")
                    .append(r.baselineValue() > 0 ? r.baseline() + ": " + number(r.baselineValue()) + " " + r.unit()
                            : "").append(" | ")
                    .append(r.baselineValue() > 0 ? String.format(Locale.ROOT, "%.2f×", r.ratio()) : "")
                    .append(" | ").append(r.target() == null ? "" : r.target()).append(" | ")
                    .append(r.met() == null ? "" : r.met() ? "yes" : "**no**").append(" | ")
                    .append(r.note() == null ? "" : r.note()).append(" |\n");
        }
        return out.toString();
    }

    /** Prints the table and writes it to {@code target/bench/results.md}. */
    static synchronized void publish() {
        String table = table();
        String header = "Benchmark run started " + STARTED + "; machine load at the end: " + Machine.loadAverage()
                + "\n\n";
        System.out.println("\n[bench] ===== results =====\n" + header + table);
        try {
            Files.createDirectories(Bench.OUT);
            Files.writeString(Bench.OUT.resolve("results.md"), header + table);
        } catch (IOException e) {
            System.out.println("[bench] could not write results.md: " + e);
        }
    }
}
