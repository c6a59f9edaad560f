package io.safeimport.internal.run;

import io.safeimport.internal.db.Database;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The environment marker in {@code safeimport_environment}: what kind of database this is.
 * Destructive dev-only commands refuse a database marked {@code production}.
 */
public final class Environment {
    /** The kinds of environment. */
    public enum Kind { production, staging, development }

    private Environment() {
    }

    /** Marks the database (replacing an earlier mark). */
    public static void mark(Database db, Kind kind) {
        Map<String, String> me = RunStore.whoAmI();
        try (Handle h = db.open()) {
            h.useTransaction(tx -> {
                tx.execute("DELETE FROM safeimport_environment WHERE id = 1");
                tx.createUpdate("INSERT INTO safeimport_environment (id, environment, marked_at, marked_by) VALUES (1, :e, :t, :u)")
                        .bind("e", kind.name()).bind("t", RunStore.at(Instant.now()))
                        .bind("u", me.get("user") + "@" + me.get("host")).execute();
            });
        }
    }

    /** The mark, if any (the schema must exist). */
    public static Optional<Kind> read(Database db) {
        try (Handle h = db.open()) {
            return h.createQuery("SELECT environment FROM safeimport_environment WHERE id = 1").mapTo(String.class)
                    .findOne().map(Kind::valueOf);
        }
    }

    /** The mark, or empty when there is none or no schema yet. */
    public static Optional<Kind> readIfPresent(Database db) {
        try {
            return read(db);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
