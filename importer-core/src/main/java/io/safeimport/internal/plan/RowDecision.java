package io.safeimport.internal.plan;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the plan does with one row of a file, given the row stored under its natural key: the
 * upsert rules of DESIGN.md §4 in one pure function ({@link #decide}), apart from the database, the
 * plan files and the plan lines, so that every rule can be held by a unit test. A blank cell never
 * erases a stored value; a relationship that is set is changed only with {@code --force-update}
 * (it is {@link Kept}), one that is empty is filled; an insert-only row (a history event without
 * {@code --update-existing}) that exists is never changed ({@link Skipped} when it differs).
 *
 * <p>The decision carries the differences it saw, column by column, so the planner can say in a
 * plan line what changes and what is held back, in the operator's words (a stored reference by
 * the key of the row it points at, which only the database knows).
 */
public sealed interface RowDecision
        permits RowDecision.Insert, RowDecision.Update, RowDecision.Unchanged, RowDecision.Kept, RowDecision.Skipped {

    /** The plan's word for the decision, as counts, plan lines and the plan digest spell it. */
    String action();

    /** The columns whose stored value differs from the file's, in the file row's column order; empty for an insert. */
    List<Difference> differences();

    /** The relationships held back without {@code --force-update}: each is counted {@code kept} unless the row is skipped. */
    default List<String> keptColumns() {
        List<String> kept = new ArrayList<>();
        for (Difference d : differences()) {
            if (d.kept()) {
                kept.add(d.column().name());
            }
        }
        return kept;
    }

    /**
     * One column where the file and the stored row disagree.
     *
     * @param stored the stored value (canonical; an id for a relationship), {@code null} when the column is empty
     * @param file   the file's value: canonical, or a {@link Ref} for a relationship
     * @param kept   whether the stored value stays because the column is a relationship that is set
     *               and {@code --force-update} was not given
     */
    record Difference(ColumnSpec column, Object stored, Object file, boolean kept) {
    }

    /** No row has the key: insert the key and every value the file gives. */
    record Insert(Map<String, Object> values) implements RowDecision {
        public Insert {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public String action() {
            return "insert";
        }

        @Override
        public List<Difference> differences() {
            return List.of();
        }
    }

    /**
     * The row exists and at least one value changes: write {@code changes} (column to the file's
     * value or {@link Ref}); {@code differences} also holds the relationships kept.
     */
    record Update(Map<String, Object> changes, List<Difference> differences) implements RowDecision {
        public Update {
            changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
            differences = List.copyOf(differences);
        }

        @Override
        public String action() {
            return "update";
        }
    }

    /** The row exists and the file gives nothing that differs from it. */
    record Unchanged() implements RowDecision {
        @Override
        public String action() {
            return "unchanged";
        }

        @Override
        public List<Difference> differences() {
            return List.of();
        }
    }

    /** The row exists and differs only in relationships held back without {@code --force-update}: nothing is written. */
    record Kept(List<Difference> differences) implements RowDecision {
        public Kept {
            differences = List.copyOf(differences);
        }

        @Override
        public String action() {
            return "kept";
        }
    }

    /** An insert-only row that exists and differs: nothing is written, the differences are only reported. */
    record Skipped(List<Difference> differences) implements RowDecision {
        public Skipped {
            differences = List.copyOf(differences);
        }

        @Override
        public String action() {
            return "skipped";
        }
    }

    /**
     * Decides what happens to {@code row}.
     *
     * @param spec        the row's table
     * @param stored      the row stored under the row's key (canonical values), or {@code null} when there is none
     * @param row         what the file asks for
     * @param resolved    the ids of the references found in the database; a reference missing here
     *                    names a row that only this run creates, so it differs from any stored id
     * @param forceUpdate whether a relationship that is set may be changed ({@code --force-update})
     */
    static RowDecision decide(TableSpec spec, Map<String, Object> stored, TargetRow row, Map<Ref, Long> resolved,
                              boolean forceUpdate) {
        if (stored == null) {
            Map<String, Object> values = new LinkedHashMap<>(row.key());
            row.values().forEach((column, value) -> {
                if (given(value)) {
                    values.put(column, value);
                }
            });
            return new Insert(values);
        }
        List<Difference> differences = new ArrayList<>();
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : row.values().entrySet()) {
            ColumnSpec c = spec.requireColumn(e.getKey());
            Difference d = given(e.getValue()) ? difference(c, stored.get(c.name()), e.getValue(), resolved, forceUpdate) : null;
            if (d != null) {
                differences.add(d);
                if (!d.kept()) {
                    changes.put(c.name(), d.file());
                }
            }
        }
        if (differences.isEmpty()) {
            return new Unchanged();
        }
        if (row.insertOnly()) {
            return new Skipped(differences);
        }
        return changes.isEmpty() ? new Kept(differences) : new Update(changes, differences);
    }

    /**
     * Whether the file gives a value at all. Importers leave a blank cell out of the row
     * ({@link io.safeimport.spi.CsvRow#get} reads it as {@code null}); a {@code null} or blank text that
     * reaches here anyway means the same, so a blank never erases whatever an importer emits.
     */
    private static boolean given(Object value) {
        return value != null && !(value instanceof String s && s.isBlank());
    }

    /** How the stored value {@code was} and the file's {@code now} differ in column {@code c}, or {@code null} if they do not. */
    private static Difference difference(ColumnSpec c, Object was, Object now, Map<Ref, Long> resolved, boolean forceUpdate) {
        if (!(now instanceof Ref ref)) {
            return c.type().same(was, now) ? null : new Difference(c, was, now, false);
        }
        if (was == null) {
            return new Difference(c, null, ref, false); // an empty relationship is filled, with or without --force-update
        }
        Long id = resolved.get(ref);
        if (id != null && RowIds.refers(c, was, id)) {
            return null;
        }
        return new Difference(c, was, ref, !forceUpdate);
    }
}
