package io.usersync.sync.google;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A set of provider ids that costs a few bytes per id instead of two objects per id: the ids' UTF-8 bytes live
 * in one growing byte arena (each prefixed by its length), found through an open-addressing table of offsets.
 * Used to remember the members of a group pool (up to the whole directory) while the users are streamed.
 * Not thread-safe; ids of at most 65,535 bytes.
 */
final class CompactIdSet {

    private byte[] arena = new byte[4096];
    private int used;
    /** Offset + 1 of each id in the arena; 0 marks a free slot. Length is a power of two. */
    private int[] slots = new int[256];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** @return whether the id was not yet in the set */
    boolean add(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("id too long");
        }
        int slot = find(bytes);
        if (slots[slot] != 0) {
            return false;
        }
        ensureArena(bytes.length + 2);
        arena[used] = (byte) (bytes.length >>> 8);
        arena[used + 1] = (byte) bytes.length;
        System.arraycopy(bytes, 0, arena, used + 2, bytes.length);
        slots[slot] = used + 1;
        used += bytes.length + 2;
        if (++size * 2 > slots.length) {
            rehash();
        }
        return true;
    }

    boolean contains(String id) {
        if (id == null || size == 0) {
            return false;
        }
        return slots[find(id.getBytes(StandardCharsets.UTF_8))] != 0;
    }

    /** The slot holding {@code bytes}, or the free slot where they would go. */
    private int find(byte[] bytes) {
        int mask = slots.length - 1;
        int slot = mix(Arrays.hashCode(bytes)) & mask;
        while (slots[slot] != 0 && !equalsAt(slots[slot] - 1, bytes)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private boolean equalsAt(int offset, byte[] bytes) {
        int length = ((arena[offset] & 0xFF) << 8) | (arena[offset + 1] & 0xFF);
        return length == bytes.length
                && Arrays.equals(arena, offset + 2, offset + 2 + length, bytes, 0, bytes.length);
    }

    private void rehash() {
        int[] old = slots;
        slots = new int[old.length * 2];
        int mask = slots.length - 1;
        for (int entry : old) {
            if (entry == 0) {
                continue;
            }
            int offset = entry - 1;
            int length = ((arena[offset] & 0xFF) << 8) | (arena[offset + 1] & 0xFF);
            int slot = mix(hashAt(offset + 2, length)) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = entry;
        }
    }

    /** Same value as {@link Arrays#hashCode(byte[])} over the arena range. */
    private int hashAt(int from, int length) {
        int hash = 1;
        for (int i = from; i < from + length; i++) {
            hash = 31 * hash + arena[i];
        }
        return hash;
    }

    private void ensureArena(int extra) {
        if (used + extra > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + extra));
        }
    }

    /** Spreads decimal-id hashes, whose low bits are poorly distributed, over the table. */
    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
