package io.usersync.billing.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A bucket built by appending in order equals the one rebuilt from all instants, and both give the peak a brute
 * force sweep gives (including the "count at the bucket start" rule).
 */
class BucketStatePropertiesTest {

    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

    record Change(int second, int delta) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return Combinators.combine(Arbitraries.integers().between(0, 30), Arbitraries.integers().between(-3, 3))
                .as(Change::new).list().ofMaxSize(25);
    }

    @Property
    void appendedEqualsRebuiltAndMatchesBruteForce(@ForAll("changes") List<Change> changes,
            @ForAll @IntRange(min = 0, max = 50) int base) {
        TreeMap<Instant, long[]> instants = new TreeMap<>();
        for (Change c : changes) {
            instants.computeIfAbsent(START.plusSeconds(c.second()), k -> new long[2])[0] += c.delta();
        }
        BucketState rebuilt = BucketState.of(START, base, instants);
        BucketState appended = BucketState.empty(START, base);
        instants.forEach((at, d) -> appended.append(at, d[0]));
        assertTrue(appended.peak() == rebuilt.peak() && appended.peakAt().equals(rebuilt.peakAt()));
        assertTrue(appended.countAtEnd() == rebuilt.countAtEnd() && appended.countAtStart() == rebuilt.countAtStart());

        // brute force: the count after each instant's changes, second by second, earliest maximum
        long count = base;
        long best = Long.MIN_VALUE;
        Instant bestAt = null;
        for (int s = 0; s <= 30; s++) {
            Instant at = START.plusSeconds(s);
            long[] d = instants.get(at);
            count += d == null ? 0 : d[0];
            if (count > best) {
                best = count;
                bestAt = at;
            }
            if (s == 0) {
                assertTrue(rebuilt.countAtStart() == count);
            }
        }
        assertTrue(rebuilt.peak() == best, "peak " + rebuilt.peak() + " vs " + best);
        assertTrue(rebuilt.peakAt().equals(bestAt), "at " + rebuilt.peakAt() + " vs " + bestAt);
        assertTrue(rebuilt.countAtEnd() == count);
    }
}
