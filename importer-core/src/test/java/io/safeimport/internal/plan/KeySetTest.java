package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A {@link KeySet} behaves as a map from fingerprint to {@code int}: the first value stays unless
 * {@link KeySet#put} replaces it, keys that land in the same slot stay apart, the fingerprint 0 lives
 * beside the arrays, and a set that grows keeps every key with its value.
 */
class KeySetTest {

    /** 1024 slots: two keys whose low bits agree (and whose high halves are 0) share a home slot. */
    private static final int INITIAL_CAPACITY = 1024;

    @Test
    void putIfAbsentKeepsTheFirstValueAndReturnsIt() {
        KeySet set = new KeySet();

        assertEquals(-1, set.putIfAbsent(42L, 7), "absent: stored");
        assertEquals(7, set.putIfAbsent(42L, 9), "present: the stored value, not the new one");
        assertEquals(7, set.get(42L, -5));
        assertEquals(1, set.size(), "a key added twice counts once");
    }

    @Test
    void getGivesTheAbsentValueForAKeyNeverAdded() {
        KeySet set = new KeySet();
        set.putIfAbsent(42L, 7);

        assertEquals(-5, set.get(43L, -5));
        assertFalse(set.contains(43L));
        assertTrue(set.contains(42L));
        assertEquals(-1, set.slotOf(43L));
    }

    @Test
    void putReplacesTheValueOfAKeyEvenWhenItWasZero() {
        KeySet set = new KeySet();
        set.put(42L, 0);
        set.put(42L, 5);
        set.put(0L, 0);
        set.put(0L, 6);

        assertEquals(5, set.get(42L, -1));
        assertEquals(6, set.get(0L, -1));
        assertEquals(2, set.size());
    }

    @Test
    void putAddsAnAbsentKey() {
        KeySet set = new KeySet();
        set.put(42L, 3);
        set.put(0L, 4);

        assertEquals(3, set.get(42L, -1));
        assertEquals(4, set.get(0L, -1));
    }

    @Test
    void theZeroFingerprintIsAKeyLikeAnyOtherKeptInTheExtraSlot() {
        KeySet set = new KeySet();
        assertFalse(set.contains(0L));
        assertEquals(-9, set.get(0L, -9));
        assertEquals(-1, set.slotOf(0L));

        assertEquals(-1, set.putIfAbsent(0L, 11));
        assertEquals(11, set.putIfAbsent(0L, 12), "the first value stays");
        assertTrue(set.contains(0L));
        assertEquals(11, set.get(0L, -9));
        assertEquals(1, set.size());
        assertEquals(set.capacity(), set.slotOf(0L), "the key 0 lives apart, in slot capacity()");
        assertEquals(0L, set.keyAt(set.capacity()));
        assertFalse(set.contains(1L), "0 is not mistaken for another key");
    }

    @Test
    void keysThatShareAHomeSlotAreProbedIntoTheNextOnesAndWrapAround() {
        KeySet set = new KeySet();
        long home = 5;
        long same = home + INITIAL_CAPACITY;
        long last = INITIAL_CAPACITY - 1;
        long wraps = last + INITIAL_CAPACITY;
        set.putIfAbsent(home, 1);
        set.putIfAbsent(same, 2);
        set.putIfAbsent(last, 3);
        set.putIfAbsent(wraps, 4);

        assertEquals(5, set.slotOf(home));
        assertEquals(6, set.slotOf(same));
        assertEquals(INITIAL_CAPACITY - 1, set.slotOf(last));
        assertEquals(0, set.slotOf(wraps), "probing wraps to the first slot");
        assertEquals(home, set.keyAt(5));
        assertEquals(same, set.keyAt(6));
        assertEquals(wraps, set.keyAt(0));
        assertEquals(1, set.get(home, -1));
        assertEquals(2, set.get(same, -1));
        assertEquals(3, set.get(last, -1));
        assertEquals(4, set.get(wraps, -1));
        assertEquals(-1, set.get(home + 2L * INITIAL_CAPACITY, -1), "a third key of that home slot is absent");
    }

    @Test
    void theHighHalfOfAFingerprintPicksTheSlotToo() {
        KeySet set = new KeySet();
        long high = 3L << 32;
        set.putIfAbsent(high, 1);

        assertEquals(3, set.slotOf(high), "slot of (key ^ key >>> 32)");
        assertEquals(high, set.keyAt(3));
    }

    @Test
    void theSetGrowsPastThreeQuartersFullAndKeepsEveryKeyAndValue() {
        KeySet set = new KeySet();
        int threeQuarters = INITIAL_CAPACITY * 3 / 4;
        for (int i = 1; i <= threeQuarters; i++) {
            set.putIfAbsent(i * 0x9E3779B97F4A7C15L, i);
        }
        assertEquals(INITIAL_CAPACITY, set.capacity(), "three quarters full is still allowed");
        assertEquals(INITIAL_CAPACITY * 12L, set.bytes(), "a long and an int per slot");

        set.putIfAbsent((threeQuarters + 1) * 0x9E3779B97F4A7C15L, threeQuarters + 1);
        set.putIfAbsent(0L, -7);

        assertEquals(2 * INITIAL_CAPACITY, set.capacity());
        assertEquals(2 * INITIAL_CAPACITY * 12L, set.bytes());
        assertEquals(threeQuarters + 2, set.size());
        for (int i = 1; i <= threeQuarters + 1; i++) {
            long key = i * 0x9E3779B97F4A7C15L;
            assertEquals(i, set.get(key, Integer.MIN_VALUE), "key " + i);
            assertEquals(key, set.keyAt(set.slotOf(key)));
        }
        assertEquals(-7, set.get(0L, 0));
        assertEquals(set.capacity(), set.slotOf(0L));
    }

    @Test
    void slotsStayPutUntilTheSetGrows() {
        KeySet set = new KeySet();
        set.putIfAbsent(77L, 1);
        int slot = set.slotOf(77L);
        for (long k = 1000; k < 1100; k++) {
            set.putIfAbsent(k, 0);
        }
        assertEquals(slot, set.slotOf(77L));
        assertEquals(77L, set.keyAt(slot));
    }
}
