package io.safeimport.validators.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class IdPairsTest {
    /** Dense runs, gaps and a jump, over blocks of four: every id is found where it was put, no other is. */
    @Test
    void findsEveryIdAcrossBlocksWhetherDenseOrNot() {
        IdPairs pairs = new IdPairs(2);
        TreeMap<Long, Long> expected = new TreeMap<>();
        Random random = new Random(42);
        long id = 5;
        for (int i = 0; i < 1000; i++) {
            id += i % 100 < 70 ? 1 : 1 + random.nextInt(i == 500 ? 1_000_000 : 9);
            long target = random.nextInt(5000);
            pairs.add(id, target);
            expected.put(id, target);
        }
        assertEquals(expected.size(), pairs.size());
        int position = 0;
        for (var e : expected.entrySet()) {
            assertEquals(position, pairs.indexOf(e.getKey()), () -> "id " + e.getKey());
            assertEquals(e.getKey(), pairs.id(position));
            assertEquals(e.getValue(), pairs.target(position));
            position++;
        }
        for (long probe = 0; probe <= expected.lastKey() + 10; probe += probe < 20_000 ? 1 : 997) {
            if (!expected.containsKey(probe)) {
                assertEquals(-1, pairs.indexOf(probe), "id " + probe);
            }
        }
        assertEquals(-1, pairs.indexOf(Long.MIN_VALUE));
        assertEquals(-1, pairs.indexOf(Long.MAX_VALUE));
    }

    @Test
    void emptyFindsNothingAndIdsMustAscend() {
        IdPairs pairs = new IdPairs();
        assertEquals(-1, pairs.indexOf(1));
        pairs.add(7, 1);
        assertThrows(IllegalArgumentException.class, () -> pairs.add(7, 2));
        assertEquals(0, pairs.indexOf(7));
        pairs.add(9, 1);
        assertEquals("ids must ascend: 8 after 9", assertThrows(IllegalArgumentException.class, () -> pairs.add(8, 2)).getMessage());
    }

    /** An id just past a full block of consecutive ids is not there, and asking for it reads nothing past the last pair. */
    @Test
    void theIdAfterTheLastOfAFullBlockIsAbsent() {
        IdPairs pairs = new IdPairs(2);
        for (long id = 10; id < 14; id++) {
            pairs.add(id, id * 100);
        }
        assertEquals(-1, pairs.indexOf(14));
        assertEquals(3, pairs.indexOf(13));
        assertEquals(1300, pairs.target(3));
    }
}
