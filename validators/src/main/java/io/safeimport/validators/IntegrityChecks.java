package io.safeimport.validators;

import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.validators.checks.HistoryChecks;
import io.safeimport.validators.checks.LadderChecks;
import io.safeimport.validators.checks.OrgChecks;
import io.safeimport.validators.checks.UserChecks;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every post-import integrity check of DESIGN.md §5. The checks are stateless and thread-safe;
 * each reads only (its one side effect: on MariaDB/MySQL a recursive check lifts the session's
 * cap on recursive CTE iterations while it runs and puts it back), works on H2 (MySQL mode) and
 * MariaDB/MySQL, and streams the offending rows it finds as {@link io.safeimport.spi.Finding}s,
 * keyed by the row's natural key. The consumer must not use the handle while findings arrive:
 * on MySQL the result set is still streaming then. A check sees the uncommitted writes of the
 * handle's transaction.
 *
 * <p>The order is stable: by table in {@link ReferenceSchema#tables()} order, then a fixed order
 * within each table, so reports and tests read the same on every run.
 */
public final class IntegrityChecks {

    private static final List<IntegrityCheck> ALL = Stream.of(
                    LadderChecks.all(), OrgChecks.all(), UserChecks.all(), HistoryChecks.all())
            .flatMap(List::stream)
            .sorted(Comparator.comparingInt(c -> ReferenceSchema.order(c.table())))
            .toList();

    private IntegrityChecks() {
    }

    /** Every check, in the stable order described above. */
    public static List<IntegrityCheck> all() {
        return ALL;
    }

    /**
     * The checks that judge rows of one of these tables, in the stable order. The pipeline passes
     * the tables an import writes plus the tables that reference them.
     *
     * @throws IllegalArgumentException when a name is not a reference-schema table (a programming error)
     */
    public static List<IntegrityCheck> forTables(Collection<String> tables) {
        Set<String> wanted = Set.copyOf(tables);
        wanted.forEach(ReferenceSchema::table);
        return ALL.stream().filter(c -> wanted.contains(c.table())).toList();
    }
}
