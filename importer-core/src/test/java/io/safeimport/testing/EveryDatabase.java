package io.safeimport.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per database kind, each time with a fresh migrated {@link TestDatabase} as its
 * {@code TestDatabase} parameter, closed (and dropped) when the invocation ends whatever its
 * outcome: the test body holds no try block for it. A server that is not there skips its
 * invocations, or fails them under {@code SAFEIMPORT_REQUIRE_MYSQL=1} / {@code SAFEIMPORT_REQUIRE_POSTGRES=1},
 * as {@link TestDatabase#create} does.
 *
 * <pre>{@code
 * @EveryDatabase
 * void dryRunChangesNothing(TestDatabase db) { ... }
 *
 * @EveryDatabase({TestDatabase.MARIADB, TestDatabase.POSTGRES})   // the servers only
 * void aKilledSessionIsExit6(TestDatabase db) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EveryDatabaseExtension.class)
public @interface EveryDatabase {
    /** The kinds to run on, in order; every kind by default. */
    String[] value() default {TestDatabase.H2, TestDatabase.MARIADB, TestDatabase.POSTGRES};

    /** Whether the database is migrated (the reference schema and safeimport's tables) or left empty. */
    boolean migrated() default true;
}
