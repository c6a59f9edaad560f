package io.safeimport.internal.pipeline;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Function;
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
    /** The database's fetch size that streams a result set row by row. */
    private int fetchSize;
    /** The database the checks run on, as {@link #before} was told. */
    private Dialect dialect;

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
        this.dialect = dialect;
        Set<String> enforced = dialect.enforcedForeignKeys(h);
        for (Iterator<IntegrityCheck> it = checks.iterator(); it.hasNext(); ) {
            IntegrityCheck c = it.next();
            if (c.foreignKeyColumn() != null && enforced.contains((c.table() + "." + c.foreignKeyColumn()).toLowerCase(Locale.ROOT))) {
                guarded.add(c);
                it.remove();
            }
        }
        fetchSize = dialect.streamingFetchSize();
        before = new HashSet<>();
        runAll(h, "check.before", c -> f -> before.add(f.identity()));
    }

    /** Findings present now that were not present before, check by check in the checks' order. */
    List<Finding> introduced(Handle h) {
        Map<IntegrityCheck, List<Finding>> found = new LinkedHashMap<>();
        for (IntegrityCheck c : checks) {
            found.put(c, new ArrayList<>());
        }
        runAll(h, "check.after", c -> f -> {
            if (!before.contains(f.identity())) {
                found.get(c).add(f);
            }
        });
        List<Finding> out = new ArrayList<>();
        found.values().forEach(out::addAll);
        return out;
    }

    /**
     * Runs every check once, sending each one's findings to {@code sinkOf.apply(check)}. Row
     * filters of the same table and order (see {@link IntegrityCheck#rowFilter()}) run as one scan:
     * on a million users the three per-row user checks cost about one scan of the table instead
     * of three.
     */
    private void runAll(Handle h, String phase, Function<IntegrityCheck, Consumer<Finding>> sinkOf) {
        Set<IntegrityCheck> done = new HashSet<>();
        for (IntegrityCheck c : checks) {
            if (!done.add(c)) {
                continue;
            }
            List<IntegrityCheck> group = new ArrayList<>(List.of(c));
            if (c.rowFilter() != null) {
                for (IntegrityCheck other : checks) {
                    if (!done.contains(other) && other.rowFilter() != null && other.table().equals(c.table())
                            && other.rowFilter().order().equals(c.rowFilter().order())) {
                        group.add(other);
                        done.add(other);
                    }
                }
            }
            if (group.size() == 1) {
                timed(phase + "." + c.code(), () -> c.run(h, dialect, sinkOf.apply(c)));
            } else {
                timed(phase + ".rows." + c.table(), () -> scan(h, group, sinkOf));
            }
        }
    }

    /**
     * One query for several row filters of one table: every column any of them reads, a flag per
     * filter, the rows that meet any condition; each row goes to the filters whose flag is set.
     */
    private void scan(Handle h, List<IntegrityCheck> group, Function<IntegrityCheck, Consumer<Finding>> sinkOf) {
        Set<String> columns = new LinkedHashSet<>();
        StringBuilder flags = new StringBuilder();
        StringJoiner any = new StringJoiner(" OR ");
        List<IntegrityCheck.RowFilter> filters = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            IntegrityCheck.RowFilter f = group.get(i).rowFilter();
            filters.add(f);
            columns.addAll(f.columns());
            flags.append(", CASE WHEN (").append(f.condition()).append(") THEN 1 ELSE 0 END AS si_hit_").append(i);
            any.add("(" + f.condition() + ")");
        }
        String sql = "SELECT " + String.join(", ", columns) + flags + " FROM " + group.get(0).table() + " u WHERE " + any
                + " ORDER BY " + filters.get(0).order();
        List<Consumer<Finding>> sinks = group.stream().map(sinkOf).toList();
        String[] hit = new String[filters.size()];
        for (int i = 0; i < hit.length; i++) {
            hit[i] = "si_hit_" + i;
        }
        // the sinks only collect: nothing may use the handle while a MySQL result set streams
        h.createQuery(sql).setFetchSize(fetchSize).map((rs, ctx) -> {
            Finding[] hits = new Finding[filters.size()];
            for (int i = 0; i < hits.length; i++) {
                if (rs.getInt(hit[i]) == 1) {
                    hits[i] = filters.get(i).describe(rs);
                }
            }
            return hits;
        }).forEach(hits -> {
            for (int i = 0; i < hits.length; i++) {
                if (hits[i] != null) {
                    sinks.get(i).accept(hits[i]);
                }
            }
        });
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
