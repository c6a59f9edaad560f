package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import io.safeimport.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link RowStore} reads back from a real (embedded H2) database: references resolved nested
 * first and folded like keys, the small-table cache kept true by {@link RowStore#inserted} and
 * {@link RowStore#forget}, rows by id, by id range and after an id, and each column in its canonical
 * Java type.
 */
class RowStoreReadsTest {

    private static final TableSpec LADDER = ReferenceSchema.table("ladder");
    private static final TableSpec LEVEL = ReferenceSchema.table("ladder_level");
    private static final TableSpec USER = ReferenceSchema.table("app_user");
    private static final TableSpec EVENT = ReferenceSchema.table("timeline_event");

    /** One migrated database for the class (migrating is the slow part); each test starts from empty tables. */
    private static TestDatabase db;
    private Handle h;
    private final List<String> queries = new ArrayList<>();

    @BeforeAll
    static void migrate() {
        db = TestDatabase.create(TestDatabase.H2);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @BeforeEach
    void open() {
        h = db.database().open();
        h.execute("DELETE FROM ladder_level");
        h.execute("DELETE FROM ladder");
        h.execute("DELETE FROM app_user");
        h.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                String s = context.getParsedSql().getSql();
                if (s.startsWith("SELECT")) {
                    queries.add(s);
                }
            }
        });
    }

    @AfterEach
    void close() {
        h.close();
    }

    private RowStore store() {
        return new RowStore(h, db.database().dialect());
    }

    private long id(String sql) {
        return h.createQuery(sql).mapTo(Long.class).one();
    }

    private List<Long> insertUsers(int n) {
        PreparedBatch b = h.prepareBatch("INSERT INTO app_user (email) VALUES (:e)");
        for (int i = 0; i < n; i++) {
            b.bind("e", "u" + i + "@example.com").add();
        }
        b.execute();
        return h.createQuery("SELECT id FROM app_user ORDER BY id").mapTo(Long.class).list();
    }

    @Test
    void referencesResolveNestedOnesFirstFoldedLikeKeysAndMissingOnesAreLeftOut() {
        h.execute("INSERT INTO ladder (ladder) VALUES ('ENG'), ('MGT')");
        long eng = id("SELECT id FROM ladder WHERE ladder = 'ENG'");
        h.execute("INSERT INTO ladder_level (ladder_id, level) VALUES (?, 3)", eng);
        long three = id("SELECT id FROM ladder_level WHERE level = 3");
        Ref engWritten = Ref.to("ladder", " eng ");
        Ref level = Ref.to("ladder_level", engWritten, 3);
        Ref levelAsText = Ref.to("ladder_level", Ref.to("ladder", "ENG"), "3");
        Ref missingLevel = Ref.to("ladder_level", Ref.to("ladder", "ENG"), 4);
        Ref missingLadder = Ref.to("ladder_level", Ref.to("ladder", "OPS"), 3);

        Map<Ref, Long> ids = store().resolve(List.of(level, levelAsText, missingLevel, missingLadder));

        assertEquals(Map.of(level, three, levelAsText, three, engWritten, eng, Ref.to("ladder", "ENG"), eng), ids);
    }

    @Test
    void aSmallTablesCacheSeesARowInsertedMeanwhileOnlyWhenToldOrForgotten() {
        h.execute("INSERT INTO ladder (ladder) VALUES ('ENG')");
        RowStore store = store();
        assertEquals(Set.of("eng"), store.idsByTuple(LADDER, List.of(List.of("ENG"), List.of("OPS"))).keySet());

        h.execute("INSERT INTO ladder (ladder) VALUES ('OPS'), ('DEV')");
        long ops = id("SELECT id FROM ladder WHERE ladder = 'OPS'");
        long dev = id("SELECT id FROM ladder WHERE ladder = 'DEV'");
        assertEquals(Map.of(), store.idsByTuple(LADDER, List.of(List.of("OPS"))), "the cache is read once");

        store.inserted(LADDER, List.of("OPS"), ops);
        assertEquals(Map.of("ops", ops), store.idsByTuple(LADDER, List.of(List.of("OPS"))));
        assertEquals(Map.of(), store.idsByTuple(LADDER, List.of(List.of("DEV"))));

        store.forget(LADDER);
        assertEquals(Map.of("dev", dev), store.idsByTuple(LADDER, List.of(List.of("dev"))), "read again after forget");
    }

    @Test
    void aLargeTableIsAlwaysAskedSoAnInsertedRowNeedNotBeReported() {
        RowStore store = store().rememberIds();
        store.inserted(USER, List.of("ana@example.com"), 999L);
        assertEquals(Map.of(), store.idsByTuple(USER, List.of(List.of("ana@example.com"))), "not taken from a cache");

        h.execute("INSERT INTO app_user (email) VALUES ('ana@example.com')");
        long ana = id("SELECT id FROM app_user");
        assertEquals(Map.of("ana@example.com", ana), store.idsByTuple(USER, List.of(List.of("ana@example.com"))));

        store.forget(USER);
        h.execute("DELETE FROM app_user");
        assertEquals(Map.of(), store.idsByTuple(USER, List.of(List.of("ana@example.com"))), "remembered ids forgotten too");
    }

    @Test
    void noTuplesAsksNothing() {
        RowStore store = store();
        assertSame(h, store.handle(), "the store reads through the handle it was given");
        assertEquals(Map.of(), store.idsByTuple(LADDER, List.of()));
        assertEquals(Map.of(), store.idsByTuple(USER, List.of()));
        assertEquals(Map.of(), store.rowsByTuple(LADDER, List.of()));
        assertEquals(Map.of(), store.rowsByTuple(USER, List.of()));
        assertEquals(Map.of(), store.rowsById(USER, List.of(), false));
        assertEquals(List.of(), queries);
    }

    @Test
    void rowsByIdGiveExactlyTheRowsAskedForDenseOrNotLockedOrNot() {
        List<Long> ids = insertUsers(5);

        for (boolean lock : new boolean[] {false, true}) {
            assertEquals(Set.of(ids.get(0), ids.get(1), ids.get(4)),
                    store().rowsById(USER, List.of(ids.get(0), ids.get(1), ids.get(4)), lock).keySet(),
                    "nearly consecutive ids: rows 2 and 3 between them are not returned (lock " + lock + ")");
            assertEquals(Set.of(ids.get(0), ids.get(4)), store().rowsById(USER, List.of(ids.get(4), ids.get(0), ids.get(4)), lock).keySet());
            assertEquals(Set.of(ids.get(2)), store().rowsById(USER, List.of(ids.get(2), 1_000_000L), lock).keySet(), "an id with no row is absent");
        }
        Map<String, Object> row = store().rowsById(USER, List.of(ids.get(3)), true).get(ids.get(3));
        assertEquals("u3@example.com", row.get("email"));
        assertEquals(ids.get(3), row.get("id"));
    }

    @Test
    void rowsByIdReadMoreIdsThanOneChunkHolds() {
        List<Long> ids = insertUsers(RowStore.CHUNK + 5);
        List<Long> sparse = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 2) {
            sparse.add(ids.get(i));
        }

        assertEquals(ids, new ArrayList<>(store().rowsById(USER, ids, false).keySet()));
        assertEquals(Set.copyOf(ids), store().rowsById(USER, ids, true).keySet());
        assertEquals(Set.copyOf(sparse), store().rowsById(USER, sparse, false).keySet());
    }

    @Test
    void rowsInRangeAreKeyedByTheirTupleAndAnEmptyRangeAsksNothing() {
        List<Long> ids = insertUsers(5);
        RowStore store = store();

        Map<String, Map<String, Object>> rows = store.rowsInRange(USER, ids.get(1), ids.get(3));
        assertEquals(Set.of("u1@example.com", "u2@example.com", "u3@example.com"), rows.keySet());
        assertEquals(ids.get(2), rows.get("u2@example.com").get("id"));
        assertEquals(Set.of("u4@example.com"), store.rowsInRange(USER, ids.get(4), ids.get(4)).keySet(), "a range of one id");

        queries.clear();
        assertEquals(Map.of(), store.rowsInRange(USER, ids.get(3), ids.get(2)));
        assertEquals(List.of(), queries);
    }

    @Test
    void rowsAfterAnIdComeInIdOrderUpToTheLimit() {
        List<Long> ids = insertUsers(5);

        List<Map<String, Object>> page = store().rowsAfterId(USER, ids.get(1), 2);

        assertEquals(List.of(ids.get(2), ids.get(3)), page.stream().map(r -> r.get("id")).toList());
        assertEquals(List.of(), store().rowsAfterId(USER, ids.get(4), 10));
    }

    @Test
    void aPlanningStoreAsksAnEmptyLargeTableForNoPageAndNoKey() {
        RowStore planning = new RowStore(h, db.database().dialect(), true);
        assertEquals(List.of(), planning.rowsAfterId(USER, 0, 10));
        queries.clear();

        assertEquals(List.of(), planning.rowsAfterId(USER, 0, 10));
        assertEquals(Map.of(), planning.rowsByTuple(USER, List.of(List.of("ana@example.com"))));
        assertEquals(Map.of(), planning.idsByTuple(USER, List.of(List.of("ana@example.com"))));
        assertEquals(List.of(), queries, "the table's keys were read once, and it had none");

        RowStore plain = store();
        insertUsers(1);
        assertEquals(1, plain.rowsAfterId(USER, 0, 10).size(), "a store that is not planning reads the page");
    }

    @Test
    void storedValuesAreReadInTheirColumnsCanonicalTypes() {
        h.execute("INSERT INTO ladder (ladder) VALUES ('ENG')");
        long eng = id("SELECT id FROM ladder");
        h.execute("INSERT INTO ladder_level (ladder_id, level, pay_band_min) VALUES (?, 3, 85000.50)", eng);
        h.execute("INSERT INTO app_user (email, first_name, hired_on, active) VALUES ('ana@example.com', 'Ana', DATE '2021-04-01', FALSE)");
        RowStore store = store();

        Map<String, Object> level = store.rowsByTuple(LEVEL, List.of(List.of(eng, 3))).get(eng + "|3");
        assertEquals(Integer.valueOf(3), level.get("level"));
        assertEquals(Long.valueOf(eng), level.get("ladder_id"));
        assertEquals(0, new BigDecimal("85000.50").compareTo((BigDecimal) level.get("pay_band_min")));
        assertNull(level.get("pay_band_max"));
        assertNull(level.get("title"));

        Map<String, Object> ana = store.rowsByTuple(USER, List.of(List.of("ana@example.com"))).get("ana@example.com");
        assertEquals(LocalDate.of(2021, 4, 1), ana.get("hired_on"));
        assertEquals(Boolean.FALSE, ana.get("active"));
        assertNull(ana.get("team_id"), "an empty reference is null, not 0");
        assertNull(ana.get("last_name"));
        assertEquals("Ana", ana.get("first_name"));
        assertEquals(USER.columns().size() + 1, ana.size(), "id and every column");
    }

    @Test
    void aKeyWithAReferenceIsCanonicalOnlyOnceTheReferenceHasAnId() {
        Ref ana = Ref.to("app_user", "ana@example.com");
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("effective_date", LocalDate.of(2024, 3, 1));
        key.put("event_type", "hire");
        key.put("user_id", ana);

        assertEquals(Arrays.asList(7L, "hire", LocalDate.of(2024, 3, 1)), RowStore.canonicalKey(EVENT, key, Map.of(ana, 7L)));
        assertNull(RowStore.canonicalKey(EVENT, key, Map.of()));
        assertEquals(List.of(5L, 3), RowStore.keyOf(LEVEL, Map.of("ladder_id", 5, "level", 3L, "title", "x")));
    }
}
