package io.safeimport.internal.pipeline;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Integrity checks run before and after an import's writes, inside its transaction. The import is
 * blamed only for findings that were not there before: pre-existing dirty data is reported, not
 * held against the run.
 */
final class IntegrityRun {
    /** Checks slower than this get their own entry in the run's timings line. */
    private static final long SLOW_NANOS = 200_000_000L;

    private final List<IntegrityCheck> checks;
    private final StepTimer timer;
    private final List<IntegrityCheck> guarded = new ArrayList<>();
    private Set<String> before;

    IntegrityRun(List<IntegrityCheck> checks, StepTimer timer) {
        this.timer = timer;
        Map<String, IntegrityCheck> unique = new LinkedHashMap<>();
        for (IntegrityCheck c : checks) {
            unique.putIfAbsent(c.code(), c);
        }
        this.checks = new ArrayList<>(unique.values());
    }

    /**
     * Runs the checks on the data as it is before the writes. A check that only looks for dangling
     * values of a column with an enforced foreign key is left out of the run: the writes cannot
     * introduce what it finds (see {@link IntegrityCheck#foreignKeyColumn()}).
     */
    void before(Handle h, Dialect dialect) {
        Set<String> enforced = dialect.enforcedForeignKeys(h);
        for (java.util.Iterator<IntegrityCheck> it = checks.iterator(); it.hasNext(); ) {
            IntegrityCheck c = it.next();
            if (c.foreignKeyColumn() != null && enforced.contains((c.table() + "." + c.foreignKeyColumn()).toLowerCase(java.util.Locale.ROOT))) {
                guarded.add(c);
                it.remove();
            }
        }
        before = new HashSet<>();
        for (IntegrityCheck c : checks) {
            timed("check.before." + c.code(), () -> c.run(h, f -> before.add(f.identity())));
        }
    }

    /** Findings present now that were not present before. */
    List<Finding> introduced(Handle h) {
        List<Finding> out = new ArrayList<>();
        for (IntegrityCheck c : checks) {
            timed("check.after." + c.code(), () -> c.run(h, f -> {
                if (!before.contains(f.identity())) {
                    out.add(f);
                }
            }));
        }
        return out;
    }

    private void timed(String name, Runnable check) {
        long start = System.nanoTime();
        check.run();
        long took = System.nanoTime() - start;
        if (took >= SLOW_NANOS) {
            timer.add(name, took);
        }
    }

    /** The checks left out because a foreign key the database enforces rules out what they look for. */
    List<IntegrityCheck> guardedByForeignKeys() {
        return guarded;
    }

    /** How many findings were already there before the run. */
    int preExisting() {
        return before == null ? 0 : before.size();
    }
}
