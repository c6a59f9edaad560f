package io.safeimport.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.Importer;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.TargetRow;
import io.safeimport.validators.IntegrityChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assertions shared by the importer tests. */
final class ImporterAssertions {
    private ImporterAssertions() {
    }

    /** An insertion-ordered map from key/value pairs. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /**
     * The row is in {@code table}, with exactly this key (in this column order: plans spell a key in
     * its table's key order), exactly these values and this insert-only flag.
     */
    static void assertRow(TargetRow row, String table, Map<String, Object> key, Map<String, Object> values, boolean insertOnly) {
        assertEquals(table, row.table(), "table");
        assertEquals(new ArrayList<>(key.entrySet()), new ArrayList<>(row.key().entrySet()), table + " key");
        assertEquals(values, row.values(), table + " values");
        assertEquals(insertOnly, row.insertOnly(), table + " insertOnly");
    }

    /**
     * The importer's checks are exactly the checks that judge rows of {@code tables} (a table may
     * have none), in the stable order, and include {@code someCodes} so that an empty list cannot pass.
     */
    static void assertChecksOf(Importer importer, Set<String> tables, String... someCodes) {
        List<IntegrityCheck> checks = importer.checks();
        for (IntegrityCheck c : checks) {
            assertTrue(tables.contains(c.table()), importer.name() + " checks " + c.code() + " of table " + c.table());
        }
        List<String> expected = IntegrityChecks.all().stream().filter(c -> tables.contains(c.table())).map(IntegrityCheck::code).toList();
        List<String> codes = checks.stream().map(IntegrityCheck::code).toList();
        assertEquals(expected, codes, "every check of " + tables + ", in the stable order");
        for (String code : someCodes) {
            assertTrue(codes.contains(code), importer.name() + " checks " + code + ": " + codes);
        }
    }
}
