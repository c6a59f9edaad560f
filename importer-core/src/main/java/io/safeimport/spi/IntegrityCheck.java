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
}
