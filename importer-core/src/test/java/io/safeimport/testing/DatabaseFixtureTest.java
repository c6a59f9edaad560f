package io.safeimport.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.db.Migrations;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import java.util.Map;

class DatabaseFixtureTest {

    @EveryDatabase
    void migrationCreatesEveryReferenceTableAndStateSeesChanges(TestDatabase db) {
        Map<String, String> before = db.state();
        for (TableSpec t : ReferenceSchema.tables()) {
            assertTrue(before.containsKey(t.name()), db.kind() + " lacks table " + t.name() + ": " + before.keySet());
        }
        assertTrue(before.containsKey("safeimport_run"));
        assertEquals("5", new Migrations(db.database()).currentVersion());
        db.execute("INSERT INTO organization (organization) VALUES ('Acme')");
        Map<String, String> after = db.state();
        assertNotEquals(before.get("organization"), after.get("organization"));
        assertEquals(before.get("team"), after.get("team"));
    }
}
