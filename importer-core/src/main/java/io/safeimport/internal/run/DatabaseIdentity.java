package io.safeimport.internal.run;

import io.safeimport.internal.db.Database;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Which database this is: a UUID generated once, when safeimport's schema was created or upgraded
 * to version 5, and kept in {@code safeimport_database}. Every snapshot manifest records it as
 * {@code database_id} (next to the redacted URL in {@code database}), so a snapshot is listed with
 * its own database and never restored into another one. The URL alone cannot tell: the same
 * {@code ./data} is another database in another folder, and one server has many databases.
 */
public final class DatabaseIdentity {
    /** The manifest field holding the identity. */
    public static final String FIELD = "database_id";

    private DatabaseIdentity() {
    }

    /** The identity, or empty before migration 5 (the schema must otherwise exist). */
    public static Optional<String> read(Handle h) {
        return h.createQuery("SELECT database_id FROM safeimport_database WHERE id = 1").mapTo(String.class).findOne();
    }

    /** The identity of a migrated database, or empty before migration 5. */
    public static Optional<String> of(Database db) {
        try (Handle h = db.open()) {
            return read(h);
        }
    }
}
