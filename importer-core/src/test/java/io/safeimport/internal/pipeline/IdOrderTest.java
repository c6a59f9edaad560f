package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Reading a file's stored rows by page finds exactly what looking every key up finds: for a file
 * in the table's order (rows written a little out of order, new keys, stored rows the file does not
 * name), and for a file in random order, which is then no longer followed.
 */
class IdOrderTest {
    private static final TableSpec USERS = ReferenceSchema.table("app_user");
    private static final int CHUNK = 500;

    private static String email(int i) {
        return String.format("p%06d@acme.example", i);
    }

    /**
     * Inserts the people of {@code file} at the given indexes, in that order (ids follow it); every
     * 97th with its e-mail in capitals, which only the database's comparison may match to the file's.
     */
    private static void store(Handle h, List<Integer> order) {
        PreparedBatch b = h.prepareBatch("INSERT INTO app_user (email, first_name, last_name, title) VALUES (:e, :f, :l, :t)");
        for (int i : order) {
            b.bind("e", i % 97 == 5 ? email(i).toUpperCase(Locale.ROOT) : email(i)).bind("f", "First" + i).bind("l", "Last" + i).bind("t", i % 3 == 0 ? null : "Title " + i).add();
        }
        b.execute();
    }

    /** Plans the file's keys chunk by chunk through {@code order} and checks each chunk against plain key lookups; returns rows found by page. */
    private static int planAndCompare(RowStore store, IdOrder order, int fileRows) {
        int paged = 0;
        for (int from = 0, seq = 0; from < fileRows; from += CHUNK, seq++) {
            Map<String, List<Object>> wanted = new LinkedHashMap<>();
            for (int i = from; i < Math.min(fileRows, from + CHUNK); i++) {
                wanted.put(RowStore.tuple(List.of(email(i))), List.of(email(i)));
            }
            Map<String, Map<String, Object>> found = new HashMap<>();
            if (order.follows(USERS)) {
                IdOrder.Found page = order.page(store, USERS, wanted);
                assertTrue(wanted.keySet().containsAll(page.rows().keySet()), "only rows of the chunk");
                found.putAll(page.rows());
                paged += page.allLookedUp() ? 0 : page.rows().size();
            }
            order.finish(seq);
            List<List<Object>> rest = new ArrayList<>();
            wanted.forEach((tuple, key) -> {
                if (!found.containsKey(tuple)) {
                    rest.add(key);
                }
            });
            found.putAll(store.rowsByTuple(USERS, rest));
            assertEquals(store.rowsByTuple(USERS, wanted.values()), found, "chunk at file row " + from);
        }
        return paged;
    }

    @EveryDatabase
    void aFileInTheTablesOrderIsReadByPageAndFindsExactlyTheStoredRows(TestDatabase db) {
        try (Handle h = db.database().open()) {
            int n = 6_000;
            List<Integer> order = new ArrayList<>();
            for (int block = 0; block < n; block += 2_000) {
                // within each block of 2,000, written out of file order (as managers before their reports)
                for (int i = block + 1; i < block + 2_000; i += 2) {
                    order.add(i);
                }
                for (int i = block; i < block + 2_000; i += 2) {
                    if (i % 10 != 0) { // every tenth person is new in the file
                        order.add(i);
                    }
                }
                order.add(n + block); // someone the file does not name
            }
            store(h, order);
            RowStore store = new RowStore(h, db.database().dialect(), true);
            IdOrder follow = new IdOrder(IdOrder.AHEAD);
            int paged = planAndCompare(store, follow, n);
            assertTrue(follow.follows(USERS), "still followed at the end of the file");
            assertTrue(paged > (n - CHUNK) * 8 / 10, "most rows after the first chunk come by page: " + paged);
        }
    }

    @EveryDatabase
    void aFileInAnotherOrderIsNoLongerFollowedAndStillFindsExactlyTheStoredRows(TestDatabase db) {
        try (Handle h = db.database().open()) {
            int n = IdOrder.AHEAD * 3 + 1_000;
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(7));
            store(h, order);
            RowStore store = new RowStore(h, db.database().dialect(), true);
            IdOrder follow = new IdOrder(IdOrder.AHEAD);
            planAndCompare(store, follow, n);
            assertFalse(follow.follows(USERS), "a file in random order is given up");
        }
    }
}
