package io.usersync.billing.internal.consumer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.usersync.billing.internal.Account;
import io.usersync.billing.internal.AccountStore;
import io.usersync.billing.internal.BillingConfig;
import io.usersync.billing.internal.BillingMetrics;
import io.usersync.billing.internal.Sql;
import io.usersync.billing.internal.ledger.Ledger;
import io.usersync.billing.internal.ledger.Ledger.FactRow;
import io.usersync.billing.internal.payment.Charger;
import io.usersync.common.Jdbc;
import io.usersync.common.time.AppClock;
import io.usersync.events.OutboxEvent;
import io.usersync.events.OutboxWritten;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Consumes the transactional outbox: at-least-once delivery made exactly-once in effect.
 * <ul>
 * <li><b>One logical consumer.</b> Each batch runs in one transaction that first locks the single
 * {@code billing_consumer_lock} row ({@code FOR UPDATE SKIP LOCKED}); replicas that find it locked skip their
 * turn. Batches are therefore applied one after another in outbox order, never interleaved, which keeps each
 * client's events in order. A replica that dies mid-batch loses its connection, its transaction rolls back and
 * the lock is free again; nothing needs to expire.</li>
 * <li><b>Nothing lost, nothing twice.</b> The batch's ledger changes, the {@code billing_event} record of each
 * event id and the deletion of its outbox rows commit together. An event id already in {@code billing_event}
 * (a replay, or the same event written to the outbox again) is deleted without effect. The delete must remove
 * exactly the rows read, otherwise the batch rolls back.</li>
 * <li><b>Events of unknown MSPs wait</b> in the outbox until the MSP's MSP_CREATED has been applied (it always
 * commits first; this only guards against a missing one, which the lag metric then shows).</li>
 * <li><b>Latency.</b> A background thread per replica polls every {@code poll-interval} while the outbox is
 * empty and loops without pause while there is work; a commit of outbox events in this replica wakes it at once
 * ({@link OutboxWritten}).</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxConsumer {

    private static final Logger LOG = Logger.getLogger(OutboxConsumer.class);
    private static final long BACKLOG_CAP = 100_000;

    private static final String SELECT_BATCH = """
            SELECT o.seq, o.event_id, o.msp_id, o.kind, o.client_id, o.user_id, o.occurred_at, o.was_active,
                   o.now_active, o.client_status, o.billing_model, o.client_deleted, o.payment_method
              FROM outbox o LEFT JOIN billing_account a ON a.msp_id = o.msp_id
             WHERE a.msp_id IS NOT NULL OR o.kind = 'MSP_CREATED'
             ORDER BY o.seq
             LIMIT ?""";

    @Inject
    DataSource dataSource;

    @Inject
    BillingConfig config;

    @Inject
    AppClock clock;

    @Inject
    BillingMetrics metrics;

    @Inject
    Charger charger;

    @Inject
    Instance<ConsumedEventListener> listeners;

    private volatile boolean stopping;
    private volatile Thread loop;
    private ExecutorService payments;
    private volatile long lagRefreshedAtNanos;
    private volatile Duration timeoutOverride;

    /**
     * What one batch did (nothing when another replica held the consumer lock): rows consumed, MSPs that got a
     * payment method, and the counts the metrics report once the batch has committed.
     */
    record Batch(int rows, Set<UUID> paymentMethodAdded, int applied, int duplicates, int late,
            List<String> ignored) {
        static final Batch NONE = new Batch(0, Set.of(), 0, 0, 0, List.of());
    }

    /** One outbox row; {@code event} is null when the row cannot be read as a fact billing knows. */
    record Row(long seq, OutboxEvent event, String problem) {
    }

    void onStart(@Observes StartupEvent event) {
        payments = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("usersync-billing-payments").daemon()
                .factory());
        if (config.consumer().enabled()) {
            startBackground();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopBackground();
        payments.shutdown();
    }

    /** Starts this replica's background consumer thread (at startup unless disabled by configuration). */
    public synchronized void startBackground() {
        if (loop == null) {
            stopping = false;
            loop = Thread.ofPlatform().name("usersync-billing-consumer").daemon().start(this::run);
        }
    }

    /** Stops the background consumer; a batch in progress completes first. */
    public synchronized void stopBackground() {
        Thread thread = loop;
        if (thread == null) {
            return;
        }
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop = null;
    }

    /**
     * Applies everything committed to the outbox before the call, waiting for a batch another replica holds,
     * and charges MSPs that got a payment method in the calling thread.
     *
     * @return outbox rows consumed by this call
     */
    public int drain() {
        int total = 0;
        while (true) {
            Batch batch = consumeBatch(true);
            total += batch.rows();
            batch.paymentMethodAdded().forEach(msp -> charger.chargeOutstanding(msp, true));
            if (batch.rows() == 0) {
                refreshLag(true);
                return total;
            }
        }
    }

    /** Events were committed in this replica: consume now rather than at the next poll. */
    void onOutboxWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        Thread thread = loop;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long failures = 0;
        while (!stopping) {
            boolean more = false;
            try {
                Batch batch = consumeBatch(false);
                // a non-empty batch may have left events of a just-created MSP behind: look again at once
                more = batch.rows() > 0;
                for (UUID msp : batch.paymentMethodAdded()) {
                    payments.execute(() -> chargeQuietly(msp));
                }
                refreshLag(false);
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                LOG.warnf("billing outbox consumer failed (attempt %d), retrying: %s", failures, e.toString());
            }
            if (!more && !stopping) {
                long pause = config.consumer().pollInterval().toNanos();
                LockSupport.parkNanos(failures == 0 ? pause : Math.min(pause << Math.min(failures, 5),
                        Duration.ofSeconds(10).toNanos()));
            }
        }
    }

    private void chargeQuietly(UUID msp) {
        try {
            charger.chargeOutstanding(msp, true);
        } catch (RuntimeException e) {
            LOG.warnf("charging the outstanding invoices of MSP %s failed; the payment job retries: %s", msp,
                    e.toString());
        }
    }

    /** Tests only: the batch transaction timeout instead of the configured one (null: the configuration). */
    public void overrideTransactionTimeout(Duration timeout) {
        timeoutOverride = timeout;
    }

    private int transactionTimeoutSeconds() {
        Duration timeout = timeoutOverride != null ? timeoutOverride : config.consumer().transactionTimeout();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }

    /**
     * One batch in one transaction; {@code wait} blocks on the consumer lock instead of skipping the turn. The
     * batch is all or nothing (ledger, dedup records, outbox deletion); its metrics and log lines follow only once
     * it has committed, so a batch the transaction manager cancels mid-way counts nothing and its retry counts once.
     */
    Batch consumeBatch(boolean wait) {
        Batch batch = applyBatch(wait);
        batch.ignored().forEach(problem -> LOG.warnf("outbox row ignored by billing: %s", problem));
        metrics.ignored(batch.ignored().size());
        metrics.applied(batch.applied(), batch.duplicates(), batch.late());
        if (batch.late() > 0) {
            LOG.warnf("%d billing changes are dated in already invoiced periods; their invoices stay as issued",
                    batch.late());
        }
        return batch;
    }

    private Batch applyBatch(boolean wait) {
        return metrics.batchTimer().record(() -> QuarkusTransaction.requiringNew()
                .timeout(transactionTimeoutSeconds()).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String lock = "SELECT name FROM billing_consumer_lock WHERE name = 'outbox' FOR UPDATE"
                        + (wait ? "" : " SKIP LOCKED");
                if (Sql.one(c, lock, rs -> rs.getString(1)) == null) {
                    return Batch.NONE;
                }
                List<Row> rows = Sql.query(c, SELECT_BATCH, OutboxConsumer::map, config.consumer().batchSize());
                if (rows.isEmpty()) {
                    return Batch.NONE;
                }
                Batch applied = apply(c, rows);
                List<Long> seqs = rows.stream().map(Row::seq).toList();
                int deleted = 0;
                for (List<Long> chunk : Sql.chunks(seqs, 500)) {
                    deleted += Sql.update(c, "DELETE FROM outbox WHERE seq IN (" + Sql.marks(chunk.size()) + ")",
                            chunk.toArray());
                }
                if (deleted != rows.size()) {
                    throw new IllegalStateException("outbox rows were consumed concurrently; batch rolled back");
                }
                return new Batch(rows.size(), applied.paymentMethodAdded(), applied.applied(), applied.duplicates(),
                        applied.late(), applied.ignored());
            }
        }));
    }

    /** Applies the rows in the caller's transaction; returns what it did (rows = the rows read). */
    private Batch apply(Connection c, List<Row> rows) {
        Map<UUID, List<Row>> byMsp = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Row row : rows) {
            if (row.problem() != null) {
                // consumed without effect so that one bad row cannot stop billing for everyone
                ignored.add("row " + row.seq() + ": " + row.problem());
            } else {
                byMsp.computeIfAbsent(row.event().mspId(), k -> new ArrayList<>()).add(row);
            }
        }
        Set<UUID> paymentMethodAdded = new LinkedHashSet<>();
        Instant now = clock.now();
        int applied = 0;
        int duplicates = 0;
        int late = 0;
        for (Map.Entry<UUID, List<Row>> e : byMsp.entrySet()) {
            UUID msp = e.getKey();
            List<Row> fresh = withoutDuplicates(c, msp, e.getValue());
            duplicates += e.getValue().size() - fresh.size();
            if (fresh.isEmpty()) {
                continue;
            }
            record(c, fresh, now);
            Account account = AccountStore.find(c, msp);
            Row latestPaymentMethod = null;
            List<FactRow> facts = new ArrayList<>();
            for (Row row : fresh) {
                OutboxEvent event = row.event();
                switch (event.kind()) {
                    case MSP_CREATED -> {
                        if (account == null) {
                            account = AccountStore.create(c, msp, event.occurredAt(),
                                    Boolean.TRUE.equals(event.paymentMethod()), row.seq());
                        }
                    }
                    case MSP_PAYMENT_METHOD -> {
                        if (latestPaymentMethod == null || later(row, latestPaymentMethod.event().occurredAt(),
                                latestPaymentMethod.seq())) {
                            latestPaymentMethod = row;
                        }
                    }
                    case CLIENT_STATE, USER_ACTIVE -> facts.add(fact(row));
                }
            }
            if (account == null) {
                // cannot happen: the batch query only returns events of known MSPs and MSP_CREATED events
                throw new IllegalStateException("events for MSP " + msp + " without its MSP_CREATED");
            }
            if (latestPaymentMethod != null
                    && later(latestPaymentMethod, account.paymentMethodAt(), account.paymentMethodSeq())) {
                boolean onFile = Boolean.TRUE.equals(latestPaymentMethod.event().paymentMethod());
                AccountStore.setPaymentMethod(c, msp, onFile, latestPaymentMethod.event().occurredAt(),
                        latestPaymentMethod.seq());
                if (onFile) {
                    paymentMethodAdded.add(msp);
                }
            }
            late += Ledger.apply(c, account, facts).lateChanges();
            AccountStore.touch(c, msp);
            List<OutboxEvent> events = fresh.stream().map(Row::event).toList();
            for (ConsumedEventListener listener : listeners) {
                listener.onEvents(c, events);
            }
            applied += fresh.size();
        }
        return new Batch(rows.size(), paymentMethodAdded, applied, duplicates, late, ignored);
    }

    private static boolean later(Row row, Instant at, long seq) {
        int byTime = row.event().occurredAt().compareTo(at);
        return byTime > 0 || (byTime == 0 && row.seq() > seq);
    }

    /** Drops events already recorded in {@code billing_event} (and repeats within the batch). */
    private static List<Row> withoutDuplicates(Connection c, UUID msp, List<Row> rows) {
        Set<UUID> seen = new HashSet<>();
        for (List<Row> chunk : Sql.chunks(rows, 500)) {
            List<UUID> ids = chunk.stream().map(r -> r.event().eventId()).toList();
            seen.addAll(Sql.query(c, "SELECT event_id FROM billing_event WHERE msp_id = ? AND event_id IN ("
                    + Sql.marks(ids.size()) + ")", rs -> Sql.uuid(rs, "event_id"), Sql.params(ids, msp)));
        }
        List<Row> fresh = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (seen.add(row.event().eventId())) {
                fresh.add(row);
            }
        }
        return fresh;
    }

    private static void record(Connection c, List<Row> rows, Instant now) {
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row row : rows) {
            OutboxEvent e = row.event();
            values.add(new Object[] { e.mspId(), e.eventId(), row.seq(), e.kind(), e.clientId(), e.userId(),
                    e.occurredAt(), e.nowActive(), e.clientStatus(), e.billingModel(), e.clientDeleted(),
                    e.paymentMethod(), now });
        }
        // The primary key is the final guard: a second copy of an event id cannot be recorded.
        Sql.batch(c, "INSERT INTO billing_event (msp_id, event_id, seq, kind, client_id, user_id, occurred_at,"
                + " now_active, client_status, billing_model, client_deleted, payment_method, applied_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
    }

    private static FactRow fact(Row row) {
        OutboxEvent e = row.event();
        return new FactRow(row.seq(), e.eventId(), e.kind(), e.clientId(), e.userId(), e.occurredAt(),
                e.nowActive(), e.clientStatus(), e.billingModel(), e.clientDeleted());
    }

    /** Refreshes the lag gauges, at most once a second unless forced. */
    public void refreshLag(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lagRefreshedAtNanos < Duration.ofSeconds(1).toNanos()) {
            return;
        }
        lagRefreshedAtNanos = now;
        try (Connection c = dataSource.getConnection()) {
            Long rows = Sql.one(c, "SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox LIMIT " + BACKLOG_CAP + ") x",
                    rs -> rs.getLong("n"));
            Instant oldest = Sql.one(c, "SELECT MIN(occurred_at) AS oldest FROM outbox",
                    rs -> Sql.instant(rs, "oldest"));
            long age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.now()).toSeconds());
            metrics.lag(rows == null ? 0 : rows, age);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("could not refresh the billing outbox lag: %s", e.toString());
        }
    }

    private static Row map(ResultSet rs) throws SQLException {
        long seq = rs.getLong("seq");
        OutboxEvent.Kind kind = parse(OutboxEvent.Kind.class, rs.getString("kind"));
        if (kind == null) {
            return new Row(seq, null, "unknown kind " + rs.getString("kind"));
        }
        String status = rs.getString("client_status");
        String model = rs.getString("billing_model");
        OutboxEvent event = new OutboxEvent(Sql.uuid(rs, "event_id"), Sql.uuid(rs, "msp_id"), kind,
                Sql.uuid(rs, "client_id"), Sql.uuid(rs, "user_id"), Sql.instant(rs, "occurred_at"),
                Jdbc.getBoolean(rs, "was_active"), Jdbc.getBoolean(rs, "now_active"),
                parse(ClientStatus.class, status), parse(BillingModel.class, model),
                Jdbc.getBoolean(rs, "client_deleted"), Jdbc.getBoolean(rs, "payment_method"));
        String problem = switch (kind) {
            case USER_ACTIVE -> event.clientId() == null || event.userId() == null || event.nowActive() == null
                    ? "USER_ACTIVE without client, user or now_active" : null;
            case CLIENT_STATE -> event.clientId() == null ? "CLIENT_STATE without client" : null;
            case MSP_PAYMENT_METHOD -> event.paymentMethod() == null ? "MSP_PAYMENT_METHOD without a flag" : null;
            case MSP_CREATED -> null;
        };
        // an unknown status or model reads as null: the client is then not billable (and the row is not lost)
        return new Row(seq, problem == null ? event : null, problem);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name) {
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
