package io.usersync.billing.internal.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

/**
 * The summary of one hour of the billable-count step function (see migration V3_5). A "group" is an instant
 * with a non-zero net change; instants whose changes cancel out are not groups (they cannot change a maximum).
 * Changes after the last group are appended in O(1); anything earlier needs a recompute from the intervals.
 */
public final class BucketState {

    final Instant bucketStart;
    long base;
    long net;
    long startDelta;
    Long maxRel;
    Instant maxAt;
    Instant firstAt;
    Instant lastAt;
    long newcomers;

    BucketState(Instant bucketStart, long base, long net, long startDelta, Long maxRel, Instant maxAt,
            Instant firstAt, Instant lastAt, long newcomers) {
        this.bucketStart = bucketStart;
        this.base = base;
        this.net = net;
        this.startDelta = startDelta;
        this.maxRel = maxRel;
        this.maxAt = maxAt;
        this.firstAt = firstAt;
        this.lastAt = lastAt;
        this.newcomers = newcomers;
    }

    static BucketState empty(Instant bucketStart, long base) {
        return new BucketState(bucketStart, base, 0, 0, null, null, null, null, 0);
    }

    /**
     * Rebuilds a bucket from its instants' net changes and newcomer counts (every instant with boundaries in
     * the bucket, ascending).
     */
    static BucketState of(Instant bucketStart, long base, SortedMap<Instant, long[]> instants) {
        BucketState state = empty(bucketStart, base);
        for (Map.Entry<Instant, long[]> e : instants.entrySet()) {
            if (e.getValue()[0] != 0) {
                state.append(e.getKey(), e.getValue()[0]);
            }
            state.newcomers += e.getValue()[1];
        }
        return state;
    }

    /** Whether a change at {@code at} can be appended without recomputing. */
    boolean canAppend(Instant at) {
        return lastAt == null || at.isAfter(lastAt);
    }

    /** Appends a group after every existing one. */
    void append(Instant at, long delta) {
        if (delta == 0) {
            return;
        }
        if (!canAppend(at)) {
            throw new IllegalStateException("append out of order at " + at);
        }
        if (firstAt == null) {
            firstAt = at;
            if (at.equals(bucketStart)) {
                startDelta = delta;
            }
        }
        net += delta;
        if (maxRel == null || net > maxRel) {
            maxRel = net;
            maxAt = at;
        }
        lastAt = at;
    }

    /**
     * The highest count inside the bucket (absolute). Candidates: the count at the bucket start when no group
     * is exactly there (it is then just {@code base}), and the count after each group. Ties go to the earliest.
     */
    public long peak() {
        return base + peakRel();
    }

    public Instant peakAt() {
        return startCounts() && (maxRel == null || maxRel <= 0) ? bucketStart : maxAt;
    }

    private long peakRel() {
        if (startCounts()) {
            return maxRel == null ? 0 : Math.max(0, maxRel);
        }
        return maxRel;
    }

    private boolean startCounts() {
        return firstAt == null || !firstAt.equals(bucketStart);
    }

    /** The count at the bucket start, after the changes at exactly that instant. */
    public long countAtStart() {
        return base + startDelta;
    }

    /** The count after every change in the bucket. */
    public long countAtEnd() {
        return base + net;
    }

    public Instant bucketStart() {
        return bucketStart;
    }

    public long newcomers() {
        return newcomers;
    }
}
