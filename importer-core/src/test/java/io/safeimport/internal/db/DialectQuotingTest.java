package io.safeimport.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import org.jdbi.v3.core.Handle;

/** {@link Dialect#quote} makes any name, a reserved word or one with a quote or a space in it, mean that name on every database. */
class DialectQuotingTest {
    @EveryDatabase
    void reservedWordsSpacesAndQuotesAreNamesOnEveryDatabase(TestDatabase db) {
        try (Handle h = db.database().open()) {
            Dialect d = db.database().dialect();
            String table = d.quote("order lines \" ` 'x");
            String column = d.quote("select");
            h.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, " + column + " VARCHAR(20))");
            try {
                h.execute("INSERT INTO " + table + " (id, " + column + ") VALUES (1, 'one')");
                assertEquals("one", h.createQuery("SELECT " + column + " FROM " + table + " WHERE id = 1").mapTo(String.class).one());
            } finally {
                h.execute("DROP TABLE " + table);
            }
        }
    }
}
