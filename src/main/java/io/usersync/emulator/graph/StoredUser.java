package io.usersync.emulator.graph;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One user of an emulated tenant, kept compact so a tenant of 100k users costs a few megabytes: a seeded user
 * stores only its seed index and derives its attributes on demand (deterministically), until a test changes
 * it; then its attributes are stored explicitly.
 */
final class StoredUser {

    private static final String[] FIRST = { "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara",
            "Ken", "Frances", "Edsger", "Radia", "Donald", "Hedy", "Tim", "Katherine", "Niklaus", "Shafi", "Leslie",
            "Sophie", "John", "Anita", "Bjarne", "Lynn", "James", "Joan", "Guido", "Mary", "Brian", "Karen", "Vint" };
    private static final String[] LAST = { "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie",
            "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Knuth", "Lamarr", "Berners-Lee", "Johnson",
            "Wirth", "Goldwasser", "Lamport", "Wilson", "McCarthy", "Borg", "Stroustrup", "Conway", "Gosling",
            "Clarke", "van Rossum", "Keller", "Kernighan", "Jones", "Cerf" };

    final long idHigh;
    final long idLow;
    /** The tenant change sequence number of the last change (creation, update, deletion). */
    long version;
    boolean deleted;
    /** For a deletion: {@code changed} (soft-deleted, restorable) or {@code deleted} (permanently). */
    String removedReason;

    private int seedIndex;
    private long seed;
    private String domain;
    private GraphUser explicit;

    private StoredUser(long idHigh, long idLow) {
        this.idHigh = idHigh;
        this.idLow = idLow;
    }

    static StoredUser explicit(UUID id, GraphUser attributes) {
        StoredUser user = new StoredUser(id.getMostSignificantBits(), id.getLeastSignificantBits());
        user.explicit = attributes;
        user.seedIndex = -1;
        return user;
    }

    /** A generated user: {@code index} of the tenant's seeded population with {@code seed}. */
    static StoredUser seeded(long seed, int index, String domain) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        StoredUser user = new StoredUser(high, low);
        user.seedIndex = index;
        user.seed = seed;
        user.domain = domain;
        return user;
    }

    String id() {
        return new UUID(idHigh, idLow).toString();
    }

    /** The current attributes (derived for an unchanged seeded user). */
    GraphUser attributes() {
        if (explicit != null) {
            return explicit;
        }
        SplittableRandom random = new SplittableRandom(seed ^ (0xC2B2AE3D27D4EB4FL * (seedIndex + 1L)));
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String email = (first + "." + last.replace(" ", "").replace("-", "")).toLowerCase(java.util.Locale.ROOT)
                + "." + seedIndex + "@" + domain;
        return new GraphUser(email, email, first, last, true, "Member", List.of("SMTP:" + email), List.of());
    }

    void replace(GraphUser attributes) {
        explicit = attributes;
        seedIndex = -1;
        domain = null;
    }
}
