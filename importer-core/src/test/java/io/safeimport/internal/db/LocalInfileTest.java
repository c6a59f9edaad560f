package io.safeimport.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.io.ScratchFolders;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** {@code LOAD DATA LOCAL INFILE} of new rows: exact values, every row or a report of what was not taken, and where it is not offered. */
class LocalInfileTest {
    private static final TableSpec USERS = ReferenceSchema.table("app_user");
    private static final List<ColumnSpec> COLUMNS = USERS.columns();

    private static Object[] user(String email, String first, String last, String title, LocalDate hired, Boolean active) {
        return new Object[] {email, first, last, title, null, null, null, null, hired, active};
    }

    @Test
    void fieldsAreEscapedSoThatNoValueCanEndARowOrPassForNull() {
        StringBuilder out = new StringBuilder();
        for (Object v : Arrays.asList(null, "a\tb\nc\rd\\e\0f", "\\N", "", true, false, new BigDecimal("1E+3"), 42, 7L,
                LocalDate.of(2024, 2, 29))) {
            TextRows.field(out, v);
            out.append('|');
        }
        assertEquals("\\N|a\\tb\\nc\\rd\\\\e\\0f|\\\\N||1|0|1000|42|7|2024-02-29|", out.toString());
    }

    @Test
    void theLoadedValuesAreExactlyTheValuesGivenAndTheIdsAreFoundByKey() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB); Handle h = db.database().open()) {
            BulkWriter infile = db.database().dialect().bulkWriter(h);
            assertNotNull(infile, "MariaDB with local_infile ON offers LOAD DATA LOCAL");
            h.execute("INSERT INTO app_user (email) VALUES ('already@acme.example')");
            List<Object[]> rows = List.of(
                    user("tab@acme.example", "Tab\tbed", "Line\nbreak", "Back\\slash", LocalDate.of(2020, 1, 31), true),
                    user("null@acme.example", "\\N", "NULL", "", null, false),
                    user("accents@acme.example", "José", "Müller-Łukasiewicz", "Engineer, \"Frontend\" 🚀", LocalDate.of(1999, 12, 31), true),
                    user("blanks@acme.example", " lead", "trail ", "  two  spaces", LocalDate.of(2024, 2, 29), false));
            h.begin();
            BulkWriter.Loaded loaded = infile.load(USERS, COLUMNS, rows);
            assertEquals(rows.size(), loaded.rows());
            assertNull(loaded.warning());

            Map<String, Map<String, Object>> inRange = new RowStore(h, db.database().dialect()).rowsInRange(USERS, loaded.firstId(), loaded.lastId());
            assertEquals(Set.of("tab@acme.example", "null@acme.example", "accents@acme.example", "blanks@acme.example"), inRange.keySet(),
                    "the reported id range holds exactly the loaded rows");
            for (Object[] row : rows) {
                Map<String, Object> fromRange = inRange.get((String) row[0]);
                Map<String, Object> stored = h.createQuery("SELECT * FROM app_user WHERE id = :id").bind("id", fromRange.get("id"))
                        .map(RowStore.canonicalRows(USERS)).one();
                assertEquals(stored, fromRange, "the range read gives each row as a read by id does (its snapshot post-image)");
                for (int i = 0; i < COLUMNS.size(); i++) {
                    assertEquals(row[i], stored.get(COLUMNS.get(i).name()), row[0] + " " + COLUMNS.get(i).name());
                }
            }
            h.rollback();
            assertEquals(1, db.count("app_user"), "inside the caller's transaction: its rollback takes the rows away");
        }
    }

    @Test
    void updatesThroughTheStagingTableSetExactlyTheGivenValuesInsideTheTransactionAndLeaveNoTable() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB); Handle h = db.database().open()) {
            BulkWriter infile = db.database().dialect().bulkWriter(h);
            assertNotNull(infile);
            h.execute("INSERT INTO app_user (email, first_name, last_name, title, hired_on, active) VALUES"
                    + " ('a@acme.example', 'A', 'One', 'Old', '2020-01-01', TRUE),"
                    + " ('b@acme.example', 'B', 'Two', 'Old', '2020-01-02', TRUE),"
                    + " ('c@acme.example', 'C', 'Three', 'Untouched', '2020-01-03', TRUE)");
            long a = h.createQuery("SELECT id FROM app_user WHERE email = 'a@acme.example'").mapTo(Long.class).one();
            long b = h.createQuery("SELECT id FROM app_user WHERE email = 'b@acme.example'").mapTo(Long.class).one();
            List<ColumnSpec> cols = List.of(USERS.requireColumn("title"), USERS.requireColumn("hired_on"), USERS.requireColumn("active"));
            String before = h.createQuery("CHECKSUM TABLE app_user").mapToMap().one().get("checksum").toString();
            h.begin();
            BulkWriter.Updated updated = infile.updateById(USERS, cols, List.of(
                    new Object[] {a, "Tab\tbed \"quoted\" 🚀\nline", LocalDate.of(2024, 2, 29), false},
                    new Object[] {b, null, null, true}));
            assertEquals(2, updated.staged());
            assertEquals(2, updated.matched());
            assertNull(updated.warning());
            Map<String, Object> rowA = h.createQuery("SELECT * FROM app_user WHERE id = :id").bind("id", a).map(RowStore.canonicalRows(USERS)).one();
            assertEquals("Tab\tbed \"quoted\" 🚀\nline", rowA.get("title"));
            assertEquals(LocalDate.of(2024, 2, 29), rowA.get("hired_on"));
            assertEquals(false, rowA.get("active"));
            assertEquals("A", rowA.get("first_name"), "columns not given stay as they were");
            Map<String, Object> rowB = h.createQuery("SELECT * FROM app_user WHERE id = :id").bind("id", b).map(RowStore.canonicalRows(USERS)).one();
            assertNull(rowB.get("title"));
            assertNull(rowB.get("hired_on"));
            assertEquals("Untouched", h.createQuery("SELECT title FROM app_user WHERE email = 'c@acme.example'").mapTo(String.class).one());
            Assertions.assertThrows(RuntimeException.class,
                    () -> h.createQuery("SELECT COUNT(*) FROM si_stage_app_user").mapTo(Integer.class).one(), "the staging table is dropped");
            h.rollback();
            assertEquals(before, h.createQuery("CHECKSUM TABLE app_user").mapToMap().one().get("checksum").toString(),
                    "inside the caller's transaction: its rollback restores every row");
        }
    }

    @Test
    void anUpdateWhoseRowIsGoneIsReportedNotSilentlyLost() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB); Handle h = db.database().open()) {
            BulkWriter infile = db.database().dialect().bulkWriter(h);
            h.execute("INSERT INTO app_user (email, title) VALUES ('a@acme.example', 'Old'), ('same@acme.example', 'Same')");
            long a = h.createQuery("SELECT id FROM app_user WHERE email = 'a@acme.example'").mapTo(Long.class).one();
            long same = h.createQuery("SELECT id FROM app_user WHERE email = 'same@acme.example'").mapTo(Long.class).one();
            BulkWriter.Updated updated = infile.updateById(USERS, List.of(USERS.requireColumn("title")),
                    List.of(new Object[] {a, "New"}, new Object[] {same, "Same"}, new Object[] {a + 1000, "Nobody"}));
            assertEquals(3, updated.staged());
            assertEquals(2, updated.matched(), "a row set to the values it has counts as found; the caller sees that one row was not");
        }
    }

    @Test
    void aKeyThatExistsIsSkippedByTheServerAndReportedNotSilentlyLost() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB); Handle h = db.database().open()) {
            h.execute("INSERT INTO app_user (email) VALUES ('bob@acme.example')");
            BulkWriter infile = db.database().dialect().bulkWriter(h);
            List<Object[]> rows = new ArrayList<>();
            rows.add(user("ann@acme.example", "Ann", null, null, null, true));
            rows.add(user("bob@acme.example", "Bob", null, null, null, true));
            BulkWriter.Loaded loaded = infile.load(USERS, COLUMNS, rows);
            assertEquals(1, loaded.rows(), "LOCAL skips the duplicate instead of failing");
            assertNotNull(loaded.warning());
            assertTrue(loaded.warning().contains("bob@acme.example"), loaded.warning());
        }
    }

    @Test
    void theDriverMaySendFilesFromOnePrivateDirectoryOnly() throws Exception {
        Path dir = LocalInfile.directory();
        assertNotNull(dir);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                    Files.getPosixFilePermissions(dir));
        }
        assertEquals(dir.toString(), new MySqlDialect().connectionProperties("jdbc:mysql://h/db").get("allowLoadLocalInfileInPath"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(ScratchFolders.OWNER), files.map(f -> f.getFileName().toString()).toList(),
                    "each load's file is deleted when its statement ends; only the file naming the process stays");
        }
    }

    @EveryDatabase
    void notOfferedOnH2NorWhenTurnedOff(TestDatabase db) {
        try (Handle h = db.database().open()) {
            String before = System.getProperty(BulkWriter.PROPERTY);
            System.setProperty(BulkWriter.PROPERTY, "false");
            try {
                assertNull(db.database().dialect().bulkWriter(h));
            } finally {
                if (before == null) {
                    System.clearProperty(BulkWriter.PROPERTY);
                } else {
                    System.setProperty(BulkWriter.PROPERTY, before);
                }
            }
            if (TestDatabase.H2.equals(db.kind())) {
                assertNull(db.database().dialect().bulkWriter(h), "H2 has no LOAD DATA: inserts use INSERT statements");
            }
        }
    }
}
