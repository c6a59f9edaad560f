package io.safeimport.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@link EveryDatabase}: one fresh database per kind and invocation, the same one for every parameter of it, closed after it. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryDatabaseTest {
    private static final List<TestDatabase> SEEN = new ArrayList<>();

    @EveryDatabase
    @Order(1)
    void eachKindGetsAFreshMigratedDatabase(TestDatabase db, TestDatabase same) {
        assertSame(db, same, "one database per invocation");
        assertEquals(0, db.count("app_user"), "fresh");
        try (Handle h = db.database().open()) {
            h.execute("INSERT INTO app_user (email) VALUES ('only-in-this-invocation@acme.example')");
        }
        SEEN.add(db);
    }

    @EveryDatabase(value = TestDatabase.H2, migrated = false)
    @Order(2)
    void anEmptyDatabaseHasNoTables(TestDatabase db) {
        try (Handle h = db.database().open()) {
            assertEquals(0, h.createQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
                    .mapTo(Integer.class).one());
        }
    }

    @Test
    @Order(3)
    void theKindsRanInOrderAndEachDatabaseWasClosedAfterItsInvocation() {
        assertEquals(List.of(TestDatabase.H2, TestDatabase.MARIADB, TestDatabase.POSTGRES), SEEN.stream().map(TestDatabase::kind).toList());
        for (TestDatabase db : SEEN) {
            assertFalse(db.exists(), db.kind() + ": closed and dropped when its invocation ended");
        }
    }
}
