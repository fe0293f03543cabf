package io.usersync.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.LiveUsage;
import io.usersync.billing.api.PeriodReport;
import io.usersync.billing.internal.period.Periods;
import io.usersync.common.Ids;
import io.usersync.events.OutboxEvent;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.ClientStatus;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random histories (several clients, status and model changes, deletions, many changes at shared instants, on
 * hour and period edges) delivered in random order, in random batches, with duplicates, must give exactly what
 * a brute-force evaluation of the same facts gives: for each candidate instant, who is billable after every
 * change at that instant. The oracle shares no code with the ledger.
 */
@QuarkusTest
class LedgerOracleTest {

    static final Instant CREATED = Instant.parse("2024-01-31T06:00:00Z");
    static final Periods PERIODS = Periods.ofCreation(CREATED);

    @Inject
    BillingTestSupport billing;

    @Inject
    BillingUsage usage;

    @BeforeEach
    void clock() {
        billing.useClock("2024-09-01T00:00:00Z");
    }

    @AfterEach
    void restore() {
        billing.restoreClock();
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 })
    void randomHistoriesInRandomOrderMatchTheOracle(long seed) {
        Random random = new Random(seed);
        UUID msp = Ids.newId();
        List<Instant> pool = instantPool(random);
        List<UUID> clients = List.of(Ids.newId(), Ids.newId(), Ids.newId());
        List<OutboxEvent> facts = new ArrayList<>();
        for (UUID client : clients) {
            Set<Instant> used = new HashSet<>();
            int changes = 1 + random.nextInt(4);
            for (int i = 0; i < changes; i++) {
                Instant at = unused(random, pool, used);
                ClientStatus status = ClientStatus.values()[random.nextInt(3)];
                BillingModel model = random.nextInt(4) == 0 ? BillingModel.ANNUAL : BillingModel.MONTHLY;
                facts.add(OutboxEvent.clientState(Ids.newId(), msp, client, at, status, model, random.nextInt(10) == 0));
            }
        }
        for (int u = 0; u < 14; u++) {
            UUID client = clients.get(random.nextInt(clients.size()));
            UUID user = Ids.newId();
            Set<Instant> used = new HashSet<>();
            int changes = 1 + random.nextInt(6);
            for (int i = 0; i < changes; i++) {
                boolean active = random.nextInt(3) != 0;
                facts.add(OutboxEvent.userActive(Ids.newId(), msp, client, user, unused(random, pool, used), !active,
                        active));
            }
        }

        billing.write(OutboxEvent.mspCreated(Ids.newId(), msp, CREATED, false));
        List<OutboxEvent> delivery = new ArrayList<>(facts);
        Collections.shuffle(delivery, random);
        for (int i = 0; i < 6; i++) {
            delivery.add(random.nextInt(delivery.size()), facts.get(random.nextInt(facts.size()))); // duplicates
        }
        int position = 0;
        Set<UUID> unconsumed = new HashSet<>(); // the outbox refuses an id twice while it is unconsumed
        while (position < delivery.size()) {
            int size = Math.min(delivery.size() - position, 1 + random.nextInt(8));
            List<OutboxEvent> now = new ArrayList<>();
            List<OutboxEvent> afterDrain = new ArrayList<>();
            for (OutboxEvent e : delivery.subList(position, position + size)) {
                (unconsumed.add(e.eventId()) ? now : afterDrain).add(e);
            }
            position += size;
            billing.write(now);
            if (random.nextBoolean() || !afterDrain.isEmpty()) {
                billing.drain();
                unconsumed.clear();
            }
            if (!afterDrain.isEmpty()) {
                billing.write(afterDrain);
                afterDrain.forEach(e -> unconsumed.add(e.eventId()));
            }
        }
        billing.drain();

        for (int index = 0; index <= 2; index++) {
            Expected expected = oracle(facts, PERIODS.start(index), PERIODS.end(index));
            PeriodReport actual = billing.period(msp, index);
            String where = "seed " + seed + " period " + index;
            assertEquals(expected.peak, actual.summary().peak().users(), where + " peak");
            assertEquals(expected.peakAt, actual.summary().peak().at(), where + " peak instant");
            assertEquals(expected.atStart, actual.summary().usersAtStart(), where + " users at start");
            assertEquals(expected.distinct, actual.summary().distinctUsers(), where + " distinct");
            assertEquals(expected.clients, BillingTestSupport.breakdown(actual), where + " per client");
        }
        Map<UUID, Long> now = new TreeMap<>();
        billableUsers(facts, Instant.parse("2030-01-01T00:00:00Z")).values().forEach(c -> now.merge(c, 1L, Long::sum));
        LiveUsage live = usage.live(BillingTestSupport.OPERATOR, msp);
        Map<UUID, Long> liveCounts = new TreeMap<>();
        live.clients().stream().filter(c -> c.currentUsers() > 0)
                .forEach(c -> liveCounts.put(c.clientId(), c.currentUsers()));
        assertEquals(now, liveCounts, "seed " + seed + " current per client");
        assertEquals(now.values().stream().mapToLong(Long::longValue).sum(), live.currentBillableUsers());
    }

    /** Instants concentrated in a few hours and on period and hour edges, so many changes share an instant. */
    static List<Instant> instantPool(Random random) {
        List<Instant> pool = new ArrayList<>(List.of(CREATED, PERIODS.start(1), PERIODS.start(2),
                PERIODS.start(1).minusSeconds(1), PERIODS.start(2).plusSeconds(3600)));
        // whole seconds: MySQL Connector/J drops fractional seconds when the server is MariaDB (it announces
        // itself as 5.5.5-10.x), so a sub-second instant would be stored differently from what the oracle sees
        Instant[] hot = { Instant.parse("2024-02-10T14:00:00Z"), Instant.parse("2024-02-29T00:00:00Z"),
                Instant.parse("2024-03-15T09:00:00Z") };
        for (int i = 0; i < 24; i++) {
            Instant base = hot[random.nextInt(hot.length)];
            pool.add(base.plus(Duration.ofMinutes(random.nextInt(130) - 10)));
        }
        for (int i = 0; i < 8; i++) {
            pool.add(CREATED.plus(Duration.ofMinutes(random.nextInt(90 * 24 * 60))));
        }
        return pool;
    }

    static Instant unused(Random random, List<Instant> pool, Set<Instant> used) {
        while (true) {
            Instant at = pool.get(random.nextInt(pool.size()));
            if (used.add(at)) {
                return at;
            }
        }
    }

    record Expected(long peak, Instant peakAt, long atStart, long distinct, Map<UUID, List<Long>> clients) {
    }

    /** Who is billable after every change at each candidate instant of {@code [from, to)}. */
    static Expected oracle(List<OutboxEvent> facts, Instant from, Instant to) {
        TreeSet<Instant> candidates = new TreeSet<>();
        candidates.add(from);
        for (OutboxEvent e : facts) {
            if (e.occurredAt().isAfter(from) && e.occurredAt().isBefore(to)) {
                candidates.add(e.occurredAt());
            }
        }
        long peak = -1;
        Instant peakAt = null;
        Map<UUID, Long> atPeak = Map.of();
        Map<UUID, Long> ownPeak = new HashMap<>();
        Map<UUID, Set<UUID>> distinct = new HashMap<>();
        long atStart = 0;
        for (Instant t : candidates) {
            Map<UUID, Long> perClient = new HashMap<>();
            for (Map.Entry<UUID, UUID> user : billableUsers(facts, t).entrySet()) {
                perClient.merge(user.getValue(), 1L, Long::sum);
                distinct.computeIfAbsent(user.getValue(), k -> new HashSet<>()).add(user.getKey());
            }
            long total = perClient.values().stream().mapToLong(Long::longValue).sum();
            if (t.equals(from)) {
                atStart = total;
            }
            if (total > peak) {
                peak = total;
                peakAt = t;
                atPeak = perClient;
            }
            perClient.forEach((c, n) -> ownPeak.merge(c, n, Math::max));
        }
        Map<UUID, List<Long>> clients = new TreeMap<>();
        for (UUID c : distinct.keySet()) {
            clients.put(c, List.of(atPeak.getOrDefault(c, 0L), ownPeak.getOrDefault(c, 0L),
                    (long) distinct.get(c).size()));
        }
        long distinctTotal = distinct.values().stream().mapToLong(Set::size).sum();
        return new Expected(peak, peakAt, atStart, distinctTotal, clients);
    }

    /** user → client for users billable at {@code t} (after the changes at {@code t}). */
    static Map<UUID, UUID> billableUsers(List<OutboxEvent> facts, Instant t) {
        Map<UUID, OutboxEvent> lastUser = new HashMap<>();
        Map<UUID, OutboxEvent> lastClient = new HashMap<>();
        Set<UUID> deletedClients = new HashSet<>();
        for (OutboxEvent e : facts) {
            if (e.occurredAt().isAfter(t)) {
                continue;
            }
            if (e.kind() == OutboxEvent.Kind.USER_ACTIVE) {
                lastUser.merge(e.userId(), e, (a, b) -> b.occurredAt().isAfter(a.occurredAt()) ? b : a);
            } else if (e.kind() == OutboxEvent.Kind.CLIENT_STATE) {
                lastClient.merge(e.clientId(), e, (a, b) -> b.occurredAt().isAfter(a.occurredAt()) ? b : a);
                if (Boolean.TRUE.equals(e.clientDeleted())) {
                    deletedClients.add(e.clientId());
                }
            }
        }
        Map<UUID, UUID> billable = new HashMap<>();
        for (OutboxEvent e : lastUser.values()) {
            OutboxEvent state = lastClient.get(e.clientId());
            boolean clientBills = state != null && !deletedClients.contains(e.clientId())
                    && state.clientStatus() != ClientStatus.TRIAL && state.billingModel() == BillingModel.MONTHLY;
            if (Boolean.TRUE.equals(e.nowActive()) && clientBills) {
                billable.put(e.userId(), e.clientId());
            }
        }
        return billable;
    }
}
