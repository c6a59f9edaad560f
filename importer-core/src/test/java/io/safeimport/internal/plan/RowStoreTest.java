package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.Ref;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

/** Ids a store remembers for large tables: found keys are not asked again, missing ones are. */
class RowStoreTest {

    private static List<String> recordQueries(Handle h) {
        List<String> sql = new ArrayList<>();
        h.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                String s = context.getParsedSql().getSql();
                if (s.startsWith("SELECT")) {
                    sql.add(s);
                }
            }
        });
        return sql;
    }

    @EveryDatabase
    void rememberedIdsSpareTheDatabaseWhileMissingKeysAreAskedAgain(TestDatabase db) {
        try (Handle h = db.database().open()) {
            h.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('ana@example.com', 'Ana', 'Lopez')");
            List<String> queries = recordQueries(h);
            Ref ana = Ref.to("app_user", "ana@example.com");
            Ref bo = Ref.to("app_user", "bo@example.com");
            RowStore store = new RowStore(h, db.database().dialect()).rememberIds();

            Map<Ref, Long> first = store.resolve(List.of(ana, bo));
            assertEquals(Set.of(ana), first.keySet(), "bo does not exist yet");
            assertTrue(!queries.isEmpty(), "the first lookup asks the database");

            h.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('bo@example.com', 'Bo', 'Berg')");
            queries.clear();
            Map<Ref, Long> second = store.resolve(List.of(ana, bo));
            assertEquals(first.get(ana), second.get(ana));
            assertNotNull(second.get(bo), "a key not found before is looked up again and found");
            assertEquals(1, queries.size(), "only bo is asked for: " + queries);
            assertEquals(1, queries.get(0).chars().filter(c -> c == '?').count(), "ana's id is remembered: " + queries);

            queries.clear();
            assertEquals(second, store.resolve(List.of(ana, bo)));
            assertEquals(List.of(), queries, "both remembered");

            RowStore plain = new RowStore(h, db.database().dialect());
            plain.resolve(List.of(ana));
            plain.resolve(List.of(ana));
            assertEquals(2, queries.size(), "a store that does not remember asks every time: " + queries);
        }
    }

    /**
     * A planning store reads every key of a large table that has few rows once, asks the database
     * for none of the keys not among them (a fresh import's), and finds the same rows as lookups by
     * key; a table with more rows is looked up by key.
     */
    @EveryDatabase
    void aPlanningStoreReadsTheKeysOfATableWithFewRowsOnceToSkipAbsentOnes(TestDatabase db) {
        try (Handle h = db.database().open()) {
            TableSpec users = ReferenceSchema.table("app_user");
            h.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('ana@example.com', 'Ana', 'Lopez'),"
                    + " ('bo@example.com', 'Bo', 'Berg'), ('cy@example.com', 'Cy', 'Chen')");
            List<List<Object>> keys = List.of(List.of("ana@example.com"), List.of("bo@example.com"), List.of("zed@example.com"));
            RowStore plain = new RowStore(h, db.database().dialect());
            List<String> queries = recordQueries(h);
            RowStore planning = new RowStore(h, db.database().dialect(), true);
            assertEquals(plain.rowsByTuple(users, keys), planning.rowsByTuple(users, keys));
            assertEquals(2, planning.rowsByTuple(users, keys).size(), "zed is not stored");
            queries.clear();
            assertEquals(Map.of(), planning.idsByTuple(users, List.of(List.of("zed@example.com"), List.of("ZED@example.com "))));
            assertEquals(List.of(), queries, "a key not among the table's keys is not asked for");
            assertEquals(plain.idsByTuple(users, List.of(List.of("cy@example.com"))), planning.idsByTuple(users, List.of(List.of("cy@example.com"))));
            // one of them is still asked, so the database's comparison decides (binary on MariaDB's email column)
            h.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('Dee@Example.com', 'Dee', 'Diaz')");
            RowStore fresh = new RowStore(h, db.database().dialect(), true);
            assertEquals(plain.rowsByTuple(users, List.of(List.of("dee@example.com"))), fresh.rowsByTuple(users, List.of(List.of("dee@example.com"))));

            insertUsers(h, RowStore.FEW);
            RowStore big = new RowStore(h, db.database().dialect(), true);
            assertEquals(plain.idsByTuple(users, keys), big.idsByTuple(users, keys));
            queries.clear();
            big.idsByTuple(users, List.of(List.of("cy@example.com")));
            assertTrue(queries.stream().anyMatch(q -> q.contains("IN")), "more than FEW rows: looked up by key: " + queries);
        }
    }

    /**
     * A composite key is matched whole, whichever way the database is asked (by its first column, or,
     * where the dialect prefers it, by every column of each tuple in chunks): each tuple asked for is
     * found exactly when its row exists, however many are asked for (rows that only share the first
     * column may come back too; callers match by tuple).
     */
    @EveryDatabase
    void aCompositeKeyFindsOnlyTheRowsWithTheWholeTuple(TestDatabase db) {
        try (Handle h = db.database().open()) {
            TableSpec events = ReferenceSchema.table("timeline_event");
            h.execute("INSERT INTO app_user (email) VALUES ('ana@example.com'), ('bo@example.com')");
            long ana = h.createQuery("SELECT id FROM app_user WHERE email = 'ana@example.com'").mapTo(Long.class).one();
            long bo = h.createQuery("SELECT id FROM app_user WHERE email = 'bo@example.com'").mapTo(Long.class).one();
            LocalDate hired = LocalDate.of(2020, 1, 6);
            LocalDate promoted = LocalDate.of(2021, 1, 4);
            h.execute("INSERT INTO timeline_event (user_id, event_type, effective_date) VALUES (?, 'hire', ?), (?, 'promotion', ?), (?, 'hire', ?)",
                    ana, hired, ana, promoted, bo, hired);
            List<List<Object>> tuples = new ArrayList<>();
            tuples.add(List.of(ana, "hire", hired));
            tuples.add(List.of(bo, "promotion", hired));
            for (int i = 0; i < RowStore.CHUNK; i++) {
                tuples.add(List.of(bo, "note " + i, promoted));
            }
            tuples.add(List.of(ana, "promotion", promoted.toString()));

            RowStore store = new RowStore(h, db.database().dialect());
            Map<String, Map<String, Object>> rows = store.rowsByTuple(events, tuples);
            Map<String, Long> ids = store.idsByTuple(events, tuples);

            String anaHired = RowStore.tuple(List.of(ana, "hire", hired));
            String anaPromoted = RowStore.tuple(List.of(ana, "promotion", promoted));
            for (List<Object> t : tuples) {
                String s = RowStore.tuple(t);
                boolean stored = s.equals(anaHired) || s.equals(anaPromoted);
                assertEquals(stored, rows.containsKey(s), s);
                assertEquals(stored, ids.containsKey(s), s);
            }
            assertEquals(ids.get(anaPromoted), rows.get(anaPromoted).get("id"));
            assertEquals(promoted, rows.get(anaPromoted).get("effective_date"));
        }
    }

    private static void insertUsers(Handle h, int n) {
        PreparedBatch b = h.prepareBatch("INSERT INTO app_user (email) VALUES (:e)");
        for (int i = 0; i < n; i++) {
            b.bind("e", "u" + i + "@example.com").add();
        }
        b.execute();
    }
}
