package io.safeimport.internal.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.ForeignSchemas;
import io.safeimport.testing.TestDatabase;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** {@link CatalogReader} on tables safeimport did not create ({@link ForeignSchemas}), on every database. */
class CatalogReaderTest {
    private static TableInfo read(TestDatabase db, String table) {
        try (Handle h = db.database().open()) {
            return new CatalogReader().read(h.getConnection(), table).orElseThrow(() -> new AssertionError("no table " + table));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertColumn(ColumnInfo c, String name, Set<Integer> jdbcTypes, int length, int precision, int scale,
                                     boolean nullable, String defaultValue, boolean autoIncrement, List<String> enumValues) {
        String what = c.toString();
        assertEquals(name, c.name(), what);
        assertTrue(jdbcTypes.contains(c.jdbcType()), what);
        assertFalse(c.typeName() == null || c.typeName().isBlank(), what);
        assertEquals(length, c.length(), what);
        assertEquals(precision, c.precision(), what);
        assertEquals(scale, c.scale(), what);
        assertEquals(nullable, c.nullable(), what);
        assertEquals(defaultValue, c.defaultValue(), what);
        assertEquals(autoIncrement, c.autoIncrement(), what);
        assertEquals(enumValues, c.enumValues(), what);
    }

    private static String byKind(TestDatabase db, String h2, String mariadb, String postgres) {
        return switch (db.kind()) {
            case TestDatabase.H2 -> h2;
            case TestDatabase.MARIADB -> mariadb;
            default -> postgres;
        };
    }

    @EveryDatabase(migrated = false)
    void surrogateAutoIncrementKeysUniqueColumnsAndSelfReferenceAreRead(TestDatabase db) {
        ForeignSchemas.create(db);
        TableInfo team = read(db, "accounts_team");
        assertEquals("accounts_team", team.name());
        assertEquals(2, team.columns().size(), team.toString());
        assertColumn(team.columns().get(0), "team_pk", Set.of(Types.INTEGER), 0, 0, 0, false, null, true, List.of());
        assertColumn(team.columns().get(1), "name", Set.of(Types.VARCHAR), 80, 0, 0, true, null, false, List.of());
        assertEquals(List.of("team_pk"), team.primaryKey());
        assertEquals(List.of(List.of("team_pk"), List.of("name")), team.uniqueKeys());
        assertEquals(List.of(), team.foreignKeys());
        if (db.kind().equals(TestDatabase.POSTGRES)) {
            assertEquals("serial", team.columns().get(0).typeName());
        }

        TableInfo user = read(db, "accounts_user");
        List<ColumnInfo> c = user.columns();
        assertEquals(10, c.size(), user.toString());
        assertColumn(c.get(0), "user_pk", Set.of(Types.BIGINT), 0, 0, 0, false, null, true, List.of());
        assertColumn(c.get(1), "email", Set.of(Types.VARCHAR), 254, 0, 0, false, null, false, List.of());
        assertColumn(c.get(2), "full_name", Set.of(Types.VARCHAR), 150, 0, 0, true, null, false, List.of());
        int bio = Integer.parseInt(byKind(db, "1000000000", "16383", "2147483647"));
        assertColumn(c.get(3), "bio", Set.of(Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB), bio, 0, 0, true, null, false, List.of());
        assertColumn(c.get(4), "salary", Set.of(Types.DECIMAL, Types.NUMERIC), 0, 10, 2, true, null, false, List.of());
        assertColumn(c.get(5), "born", Set.of(Types.DATE), 0, 0, 0, true, null, false, List.of());
        assertColumn(c.get(6), "is_staff", Set.of(Types.BOOLEAN), 0, 0, 0, false, byKind(db, "FALSE", "0", "false"), false, List.of());
        assertColumn(c.get(7), "team_id", Set.of(Types.INTEGER), 0, 0, 0, false, null, false, List.of());
        assertColumn(c.get(8), "manager_id", Set.of(Types.BIGINT), 0, 0, 0, true, null, false, List.of());
        assertColumn(c.get(9), "kind", Set.of(Types.CHAR, Types.VARCHAR, Types.OTHER), 10, 0, 0, false,
                byKind(db, "'staff'", "staff", "'staff'::accounts_user_kind"), false, ForeignSchemas.KINDS);
        assertEquals(List.of("user_pk"), user.primaryKey());
        assertEquals(List.of(List.of("user_pk"), List.of("email")), user.uniqueKeys());
        assertEquals(List.of(new ForeignKeyInfo(List.of("manager_id"), "accounts_user", List.of("user_pk")),
                new ForeignKeyInfo(List.of("team_id"), "accounts_team", List.of("team_pk"))), user.foreignKeys());

        assertEquals("email", user.column("EMAIL").orElseThrow().name());
        assertTrue(user.column("nickname").isEmpty());
        assertTrue(user.isUnique(List.of("email")));
        assertTrue(user.isUnique(List.of("user_pk")));
        assertFalse(user.isUnique(List.of("full_name")));
        assertFalse(user.isUnique(List.of("email", "full_name")), "a superset of a unique key is not a unique index");
        assertTrue(user.column("kind").orElseThrow().isText());
        assertFalse(user.column("salary").orElseThrow().isText());
    }

    @EveryDatabase(migrated = false)
    void naturalAndCompositePrimaryKeysAreRead(TestDatabase db) {
        ForeignSchemas.create(db);
        TableInfo jobs = read(db, "jobs");
        assertEquals(3, jobs.columns().size(), jobs.toString());
        assertColumn(jobs.columns().get(0), "job_id", Set.of(Types.VARCHAR), 10, 0, 0, false, null, false, List.of());
        assertColumn(jobs.columns().get(1), "job_title", Set.of(Types.VARCHAR), 35, 0, 0, false, null, false, List.of());
        assertColumn(jobs.columns().get(2), "max_salary", Set.of(Types.DECIMAL, Types.NUMERIC), 0, 8, 0, true, null, false, List.of());
        assertEquals(List.of("job_id"), jobs.primaryKey());
        assertEquals(List.of(List.of("job_id")), jobs.uniqueKeys());
        assertEquals(List.of(), jobs.foreignKeys());

        TableInfo history = read(db, "job_history");
        List<ColumnInfo> c = history.columns();
        assertEquals(4, c.size(), history.toString());
        assertColumn(c.get(0), "employee_id", Set.of(Types.INTEGER), 0, 0, 0, false, null, false, List.of());
        assertColumn(c.get(1), "start_date", Set.of(Types.DATE), 0, 0, 0, false, null, false, List.of());
        assertColumn(c.get(2), "end_date", Set.of(Types.DATE), 0, 0, 0, false, null, false, List.of());
        assertColumn(c.get(3), "job_id", Set.of(Types.VARCHAR), 10, 0, 0, false, null, false, List.of());
        assertEquals(List.of("employee_id", "start_date"), history.primaryKey());
        assertEquals(List.of(List.of("employee_id", "start_date")), history.uniqueKeys());
        assertEquals(List.of(new ForeignKeyInfo(List.of("job_id"), "jobs", List.of("job_id"))), history.foreignKeys());
        assertTrue(history.isUnique(List.of("start_date", "employee_id")), "any order");
        assertFalse(history.isUnique(List.of("employee_id")), "part of a key is not unique");
    }

    @EveryDatabase(migrated = false)
    void aMissingTableIsEmptyNotAnError(TestDatabase db) throws SQLException {
        ForeignSchemas.create(db);
        try (Handle h = db.database().open()) {
            CatalogReader reader = new CatalogReader();
            assertTrue(reader.read(h.getConnection(), "accounts_group").isEmpty());
            assertTrue(reader.read(h.getConnection(), "accounts%user").isEmpty(), "a name is not a LIKE pattern");
            assertTrue(reader.read(h.getConnection(), "accountsXuser").isEmpty(), "_ matches only itself");
        }
    }

    @EveryDatabase(migrated = false)
    void theFingerprintIsStableAndChangesWithTheDefinition(TestDatabase db) {
        ForeignSchemas.create(db);
        String user = read(db, "accounts_user").fingerprint();
        String jobs = read(db, "jobs").fingerprint();
        assertTrue(user.matches("[0-9a-f]{64}"), user);
        assertEquals(user, read(db, "accounts_user").fingerprint(), "two reads of an unchanged table");
        assertNotEquals(user, jobs);

        db.execute("ALTER TABLE accounts_user ADD COLUMN nickname VARCHAR(30)");
        String added = read(db, "accounts_user").fingerprint();
        assertNotEquals(user, added, "a new column");
        assertEquals(jobs, read(db, "jobs").fingerprint(), "another table is unchanged");

        db.execute("CREATE UNIQUE INDEX accounts_user_full_name ON accounts_user (full_name)");
        TableInfo indexed = read(db, "accounts_user");
        assertTrue(indexed.isUnique(List.of("full_name")));
        assertNotEquals(added, indexed.fingerprint(), "a new unique index");

        db.execute("ALTER TABLE jobs ALTER COLUMN job_title SET DEFAULT 'n/a'");
        assertNotEquals(jobs, read(db, "jobs").fingerprint(), "a new default");
    }
}
