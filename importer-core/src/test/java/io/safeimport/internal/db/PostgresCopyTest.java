package io.safeimport.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import io.safeimport.testing.TestDatabase;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** {@code COPY ... FROM STDIN} of new rows and the staged {@code UPDATE ... FROM} on PostgreSQL: exact values, ids, one transaction, no silent loss. */
class PostgresCopyTest {
    private static final TableSpec USERS = ReferenceSchema.table("app_user");
    private static final List<ColumnSpec> COLUMNS = USERS.columns();

    private static Object[] user(String email, String first, String last, String title, LocalDate hired, Boolean active) {
        return new Object[] {email, first, last, title, null, null, null, null, hired, active};
    }

    @Test
    void theCopiedValuesAreExactlyTheValuesGivenWithIdsFromTheSequenceInsideTheTransaction() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            BulkWriter copy = db.database().dialect().bulkWriter(h);
            assertTrue(copy instanceof PostgresCopy, "PostgreSQL loads through COPY");
            h.execute("INSERT INTO app_user (email) VALUES ('already@acme.example')");
            List<Object[]> rows = List.of(
                    user("tab@acme.example", "Tab\tbed", "Line\nbreak\r", "Back\\slash", LocalDate.of(2020, 1, 31), true),
                    user("null@acme.example", "\\N", "NULL", "", null, false),
                    user("accents@acme.example", "José", "Müller-Łukasiewicz", "Engineer, \"Frontend\" 🚀", LocalDate.of(1999, 12, 31), true),
                    user("blanks@acme.example", " lead", "trail ", "  two  spaces", LocalDate.of(2024, 2, 29), false));
            h.begin();
            BulkWriter.Loaded loaded = copy.load(USERS, COLUMNS, rows);
            assertEquals(rows.size(), loaded.rows());
            assertNull(loaded.warning());
            assertEquals(rows.size() - 1, loaded.lastId() - loaded.firstId(), "one statement took consecutive sequence values");

            Map<String, Map<String, Object>> inRange = new RowStore(h, db.database().dialect()).rowsInRange(USERS, loaded.firstId(), loaded.lastId());
            assertEquals(Set.of("tab@acme.example", "null@acme.example", "accents@acme.example", "blanks@acme.example"), inRange.keySet(),
                    "the reported id range holds exactly the loaded rows");
            for (Object[] row : rows) {
                Map<String, Object> stored = h.createQuery("SELECT * FROM app_user WHERE email = :e").bind("e", row[0])
                        .map(RowStore.canonicalRows(USERS)).one();
                assertEquals(stored, inRange.get((String) row[0]), "the range read gives each row as a read by key does");
                for (int i = 0; i < COLUMNS.size(); i++) {
                    assertEquals(row[i], stored.get(COLUMNS.get(i).name()), row[0] + " " + COLUMNS.get(i).name());
                }
            }
            h.rollback();
            assertEquals(1, db.count("app_user"), "inside the caller's transaction: its rollback takes the rows away");
        }
    }

    @Test
    void moreRowsThanOneMessageArriveWhole() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            BulkWriter copy = db.database().dialect().bulkWriter(h);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                rows.add(user("p" + i + "@acme.example", "First " + i, "Last", "x".repeat(i % 150), null, i % 2 == 0));
            }
            h.begin();
            assertEquals(5_000, copy.load(USERS, COLUMNS, rows).rows());
            h.commit();
            assertEquals(5_000, db.count("app_user"));
            assertEquals("x".repeat(4_999 % 150), h.createQuery("SELECT title FROM app_user WHERE email = 'p4999@acme.example'").mapTo(String.class).one());
        }
    }

    @Test
    void aKeyThatExistsFailsTheWholeCopyInsteadOfSkippingTheRow() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            h.execute("INSERT INTO app_user (email) VALUES ('bob@acme.example')");
            BulkWriter copy = db.database().dialect().bulkWriter(h);
            h.begin();
            SQLException e = assertThrows(SQLException.class, () -> copy.load(USERS, COLUMNS, List.of(
                    user("ann@acme.example", "Ann", null, null, null, true), user("bob@acme.example", "Bob", null, null, null, true))));
            assertEquals("23505", e.getSQLState(), e.getMessage());
            h.rollback();
            assertEquals(1, db.count("app_user"));
        }
    }

    @Test
    void aValueTooLongForItsColumnIsADataErrorNotATruncation() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            BulkWriter copy = db.database().dialect().bulkWriter(h);
            int length = ReferenceSchema.length("app_user", "title");
            h.begin();
            SQLException e = assertThrows(SQLException.class, () -> copy.load(USERS, COLUMNS,
                    List.<Object[]>of(user("long@acme.example", "L", null, "t".repeat(length + 1), null, true))));
            assertEquals("22001", e.getSQLState(), e.getMessage());
            h.rollback();
            assertEquals(0, db.count("app_user"));
        }
    }

    @Test
    void updatesThroughTheStagingTableSetExactlyTheGivenValuesInsideTheTransactionAndLeaveNoTable() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            BulkWriter copy = db.database().dialect().bulkWriter(h);
            h.execute("INSERT INTO app_user (email, first_name, last_name, title, hired_on, active) VALUES"
                    + " ('a@acme.example', 'A', 'One', 'Old', '2020-01-01', TRUE),"
                    + " ('b@acme.example', 'B', 'Two', 'Old', '2020-01-02', TRUE),"
                    + " ('c@acme.example', 'C', 'Three', 'Untouched', '2020-01-03', TRUE)");
            long a = h.createQuery("SELECT id FROM app_user WHERE email = 'a@acme.example'").mapTo(Long.class).one();
            long b = h.createQuery("SELECT id FROM app_user WHERE email = 'b@acme.example'").mapTo(Long.class).one();
            List<ColumnSpec> cols = List.of(USERS.requireColumn("title"), USERS.requireColumn("hired_on"), USERS.requireColumn("active"));
            Map<String, String> before = db.state();
            h.begin();
            BulkWriter.Updated updated = copy.updateById(USERS, cols, List.of(
                    new Object[] {a, "Tab\tbed \"quoted\" 🚀\nline\\", LocalDate.of(2024, 2, 29), false},
                    new Object[] {b, null, null, true},
                    new Object[] {b + 1000, "Nobody", null, true}));
            assertNotNull(updated, "the owner of the database may create temporary tables");
            assertEquals(3, updated.staged());
            assertEquals(2, updated.matched(), "a staged row whose id is gone is reported, not lost");
            Map<String, Object> rowA = h.createQuery("SELECT * FROM app_user WHERE id = :id").bind("id", a).map(RowStore.canonicalRows(USERS)).one();
            assertEquals("Tab\tbed \"quoted\" 🚀\nline\\", rowA.get("title"));
            assertEquals(LocalDate.of(2024, 2, 29), rowA.get("hired_on"));
            assertEquals(false, rowA.get("active"));
            assertEquals("A", rowA.get("first_name"), "columns not given stay as they were");
            Map<String, Object> rowB = h.createQuery("SELECT * FROM app_user WHERE id = :id").bind("id", b).map(RowStore.canonicalRows(USERS)).one();
            assertNull(rowB.get("title"));
            assertNull(rowB.get("hired_on"));
            assertEquals("Untouched", h.createQuery("SELECT title FROM app_user WHERE email = 'c@acme.example'").mapTo(String.class).one());
            assertEquals(0, h.createQuery("SELECT COUNT(*) FROM pg_class WHERE relname = 'si_stage_app_user' AND relpersistence = 't'")
                    .mapTo(Integer.class).one(), "the staging table is dropped");
            h.rollback();
            assertEquals(before, db.state(), "inside the caller's transaction: its rollback restores every row");
        }
    }

    @Test
    void withoutTheRightToCreateTemporaryTablesRowsAreUpdatedWithStatements() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            String role = "si_no_temp_" + Long.toHexString(System.nanoTime());
            h.execute("CREATE ROLE " + role);
            try {
                h.execute("REVOKE TEMPORARY ON DATABASE " + h.createQuery("SELECT current_database()").mapTo(String.class).one() + " FROM PUBLIC");
                h.execute("GRANT SELECT, UPDATE ON app_user TO " + role);
                h.execute("SET ROLE " + role);
                BulkWriter copy = db.database().dialect().bulkWriter(h);
                h.begin();
                assertNull(copy.updateById(USERS, List.of(USERS.requireColumn("title")), List.<Object[]>of(new Object[] {1L, "x"})),
                        "refused before anything is tried, so the transaction stays usable");
                assertEquals(0, h.createQuery("SELECT COUNT(*) FROM app_user").mapTo(Integer.class).one());
                h.rollback();
            } finally {
                h.execute("RESET ROLE");
                h.execute("DROP OWNED BY " + role);
                h.execute("DROP ROLE " + role);
            }
        }
    }
}
