package io.safeimport.spi;

import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * One post-import integrity check of DESIGN.md §5. A check only reads: it runs inside the
 * import's transaction (so it sees uncommitted writes) and must not write or commit. It streams
 * its findings to the consumer; it must work on H2 (MySQL mode) and MySQL/MariaDB.
 *
 * <p>Callers: the consumer is called while the check's result set is still streaming, so it must
 * not use the same handle (MySQL allows one open result per connection); collect, then query.
 */
public interface IntegrityCheck {

    /** Stable code, e.g. {@code user_manager_cycle}. */
    String code();

    Severity severity();

    /** The table whose rows it judges. */
    String table();

    /** One sentence: what it looks for. */
    String description();

    void run(Handle handle, Consumer<Finding> findings);

    /**
     * The reference column of {@link #table()} whose dangling values are all this check looks for
     * (e.g. {@code manager_id}), or {@code null}. Where the database enforces a foreign key on that
     * column, a row written with foreign key checks on cannot dangle, and an import that never
     * deletes cannot introduce a finding: the import pipeline then leaves the check out of its
     * before/after comparison. {@code validate} still runs it, as older rows may have been written
     * with foreign key checks off.
     */
    default String foreignKeyColumn() {
        return null;
    }
}
