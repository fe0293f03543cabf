package io.usersync.sync.google;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompactIdSetTest {

    @Test
    void behavesLikeASetOfStringsThroughManyGrowths() {
        Random random = new Random(42);
        CompactIdSet compact = new CompactIdSet();
        Set<String> reference = new HashSet<>();
        for (int i = 0; i < 60_000; i++) {
            // Google-like 21-digit ids, with many repeats and near neighbours
            String id = "1" + String.format("%020d", random.nextInt(80_000) * 7919L);
            assertEquals(reference.add(id), compact.add(id), id);
        }
        assertEquals(reference.size(), compact.size());
        for (String id : reference) {
            assertTrue(compact.contains(id), id);
        }
        for (int i = 0; i < 20_000; i++) {
            String probe = "1" + String.format("%020d", random.nextInt(80_000) * 7919L + 1);
            assertEquals(reference.contains(probe), compact.contains(probe), probe);
        }
    }

    @Test
    void handlesAnyTextIdsAndNull() {
        CompactIdSet set = new CompactIdSet();
        assertTrue(set.isEmpty());
        for (String id : List.of("", "a", "ä-ünïcode", "03emu0000000001", "x".repeat(5000))) {
            assertTrue(set.add(id), id);
            assertFalse(set.add(id), id);
            assertTrue(set.contains(id), id);
        }
        assertFalse(set.contains("03emu0000000002"));
        assertFalse(set.contains("x".repeat(4999)));
        assertFalse(set.contains(null));
        assertEquals(5, set.size());
    }
}
