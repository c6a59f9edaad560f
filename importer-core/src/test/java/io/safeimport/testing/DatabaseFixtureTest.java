package io.safeimport.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.db.Migrations;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseFixtureTest {

    @ParameterizedTest
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void migrationCreatesEveryReferenceTableAndStateSeesChanges(String kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Map<String, String> before = db.state();
            for (TableSpec t : ReferenceSchema.tables()) {
                assertTrue(before.containsKey(t.name()), kind + " lacks table " + t.name() + ": " + before.keySet());
            }
            assertTrue(before.containsKey("safeimport_run"));
            assertEquals("5", new Migrations(db.database()).currentVersion());
            db.execute("INSERT INTO organization (organization) VALUES ('Acme')");
            Map<String, String> after = db.state();
            assertNotEquals(before.get("organization"), after.get("organization"));
            assertEquals(before.get("team"), after.get("team"));
        }
    }
}
