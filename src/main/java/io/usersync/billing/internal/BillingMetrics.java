package io.usersync.billing.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The billing module's Micrometer meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code usersync.billing.outbox.backlog} [usersync_billing_outbox_backlog] outbox rows not yet consumed
 * (counted up to 100,000);</li>
 * <li>{@code usersync.billing.outbox.oldest.age} [usersync_billing_outbox_oldest_age_seconds] age of the oldest
 * unconsumed row, by its occurred_at (0 when empty);</li>
 * <li>{@code usersync.billing.events.applied} / {@code .duplicate} / {@code .late} / {@code .ignored} events
 * applied, recognised as already applied, changing an already invoiced period (the invoice stays as issued), and
 * rows that are not a readable fact (consumed without effect, logged);</li>
 * <li>{@code usersync.billing.consumer.batch} time per consumer batch;</li>
 * <li>{@code usersync.billing.invoices.issued}, {@code usersync.billing.charges} (tag outcome);</li>
 * <li>{@code usersync.billing.suspension.recommended} MSPs with an open "suspension recommended" notice.</li>
 * </ul>
 */
@ApplicationScoped
public class BillingMetrics {

    @Inject
    MeterRegistry registry;

    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeSeconds = new AtomicLong();
    private final AtomicLong suspensionRecommended = new AtomicLong();
    private Counter applied;
    private Counter duplicates;
    private Counter late;
    private Counter ignored;
    private Counter invoices;
    private Timer batch;

    @PostConstruct
    void register() {
        Gauge.builder("usersync.billing.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet consumed by billing (counted up to 100000)").register(registry);
        Gauge.builder("usersync.billing.outbox.oldest.age", oldestAgeSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest outbox row not yet consumed by billing").register(registry);
        Gauge.builder("usersync.billing.suspension.recommended", suspensionRecommended, AtomicLong::get)
                .description("MSPs flagged 'suspension recommended' for overdue invoices").register(registry);
        applied = Counter.builder("usersync.billing.events.applied").register(registry);
        duplicates = Counter.builder("usersync.billing.events.duplicate")
                .description("Events recognised by id as already applied").register(registry);
        late = Counter.builder("usersync.billing.events.late")
                .description("Ledger changes dated in an already invoiced period").register(registry);
        ignored = Counter.builder("usersync.billing.events.ignored")
                .description("Outbox rows billing could not read as a known fact (consumed without effect)")
                .register(registry);
        invoices = Counter.builder("usersync.billing.invoices.issued").register(registry);
        batch = Timer.builder("usersync.billing.consumer.batch").register(registry);
    }

    public void lag(long rows, long oldestSeconds) {
        backlog.set(rows);
        oldestAgeSeconds.set(oldestSeconds);
    }

    public long backlog() {
        return backlog.get();
    }

    public long oldestAgeSeconds() {
        return oldestAgeSeconds.get();
    }

    public void applied(int count, int duplicateCount, int lateCount) {
        applied.increment(count);
        duplicates.increment(duplicateCount);
        late.increment(lateCount);
    }

    public void ignored(int count) {
        ignored.increment(count);
    }

    public Timer batchTimer() {
        return batch;
    }

    public void invoiceIssued() {
        invoices.increment();
    }

    public void charge(String outcome) {
        registry.counter("usersync.billing.charges", "outcome", outcome).increment();
    }

    public void suspensionRecommended(long msps) {
        suspensionRecommended.set(msps);
    }
}
