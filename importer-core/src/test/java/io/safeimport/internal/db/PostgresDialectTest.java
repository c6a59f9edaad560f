package io.safeimport.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.pipeline.ImportLock;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.testing.TestDatabase;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** The PostgreSQL dialect's import lock, foreign keys and reference updates, on the local server (issue 19). */
class PostgresDialectTest {
    private static final LockHolder ME = LockHolder.me("test-run", "test", Instant.now());

    @Test
    void theAdvisoryLockIsSessionScopedCheckedFromTheCommittingSessionAndLostWithItsConnection() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES)) {
            Dialect dialect = db.database().dialect();
            assertEquals("postgresql", dialect.name());
            try (Handle control = db.database().open(); Handle tx = db.database().open(); Handle other = db.database().open()) {
                String name = ImportLock.name(control);
                assertTrue(dialect.tryLock(control, name, 0, ME));
                assertTrue(dialect.holdsLock(control, tx, name), "asked from another session");
                assertFalse(dialect.holdsLock(tx, control, name), "a session that does not hold it");
                long started = System.nanoTime();
                assertFalse(dialect.tryLock(other, name, 1, ME), "taken: another session waits, then gives up");
                assertTrue(System.nanoTime() - started >= 900_000_000L, "it waited about the second it was given");
                int pid = control.getConnection().unwrap(PGConnection.class).getBackendPID();
                String holder = dialect.lockHolder(other, name);
                assertNotNull(holder);
                assertTrue(holder.startsWith("database backend " + pid + " from "), holder);
                assertFalse(dialect.unlock(other, name), "a session that does not hold it releases nothing");

                tx.execute("SELECT pg_terminate_backend(" + pid + ")");
                long until = System.nanoTime() + 10_000_000_000L;
                while (dialect.holdsLock(control, tx, name) && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertFalse(dialect.holdsLock(control, tx, name), "its connection ended, and the lock with it");
                assertTrue(dialect.tryLock(other, name, 5, ME), "now free for another run");
                assertTrue(dialect.unlock(other, name));
                assertFalse(dialect.unlock(other, name), "released once");
            }
        }
    }

    @Test
    void everyForeignKeyIsEnforcedUnlessTheSessionRunsAsAReplica() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES); Handle h = db.database().open()) {
            Dialect dialect = db.database().dialect();
            var enforced = dialect.enforcedForeignKeys(h);
            assertTrue(enforced.containsAll(Set.of("app_user.manager_id", "app_user.team_id", "team.leader_id",
                    "seniority_snapshot.level_id")), enforced.toString());
            assertFalse(enforced.contains("app_user.email"));
            h.execute("SET session_replication_role = replica");
            assertEquals(Set.of(), dialect.enforcedForeignKeys(h));
        }
    }

    @Test
    void referencesAreSetRowByRowInOneStatement() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.POSTGRES)) {
            db.execute("INSERT INTO app_user (email) VALUES ('a@x'), ('b@x'), ('c@x')");
            Map<String, Long> ids = new HashMap<>();
            db.rows("SELECT id, email FROM app_user").forEach(r -> ids.put((String) r.get("email"), ((Number) r.get("id")).longValue()));
            try (Handle h = db.database().open()) {
                h.useTransaction(t -> db.database().dialect().setReferences(t, ReferenceSchema.table("app_user"), "manager_id",
                        Map.of(ids.get("a@x"), ids.get("c@x"), ids.get("b@x"), ids.get("a@x"))));
            }
            Map<String, Object> managers = new HashMap<>();
            db.rows("SELECT u.email, m.email AS manager FROM app_user u LEFT JOIN app_user m ON m.id = u.manager_id")
                    .forEach(r -> managers.put((String) r.get("email"), r.get("manager")));
            assertEquals("c@x", managers.get("a@x"));
            assertEquals("a@x", managers.get("b@x"));
            assertEquals(null, managers.get("c@x"));
        }
    }

    @Test
    void aTextTooLongForItsColumnIsTracedToTheColumnsGivenALongerText() {
        PostgresDialect d = new PostgresDialect();
        Map<String, Integer> longest = Map.of("title", 34, "ladder", 3, "name", 10);
        assertEquals(List.of("title"), d.refusedColumns("ERROR: value too long for type character varying(10)", longest));
        assertEquals(List.of("name", "title"), d.refusedColumns("ERROR: value too long for type character(9)", longest));
        assertEquals(List.of(), d.refusedColumns("ERROR: numeric field overflow", longest));
    }

    @Test
    void theDialectIsFoundByItsUrl() {
        assertTrue(Dialect.of("jdbc:postgresql://db.example:5432/hr") instanceof PostgresDialect);
        assertEquals("unspecified", new PostgresDialect().connectionProperties("jdbc:postgresql://h/db").get("stringtype"));
        assertEquals(null, new PostgresDialect().connectionProperties("jdbc:postgresql://h/db?stringtype=varchar").get("stringtype"),
                "the URL's own setting is left alone");
        assertEquals(PostgresDialect.lockKey("safeimport_import:hr"), PostgresDialect.lockKey("safeimport_import:hr"));
        assertTrue(PostgresDialect.lockKey("safeimport_import:hr") != PostgresDialect.lockKey("safeimport_import:hr2"));
    }
}
