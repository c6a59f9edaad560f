package io.safeimport.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables one run may read and write, as the pipeline sees them, in dependency order: a table
 * comes after every table its non-nullable references point at, so inserting in this order and
 * deleting in the reverse order never breaks a foreign key (nullable references that point
 * forward, such as a team's leader, are filled in after all inserts).
 *
 * <p>The pipeline (planning, writing, snapshots, rollback) asks the catalog it is handed, never a
 * static registry: the built-in importers hand it {@link #reference()}, importers declared in
 * {@code safeimport.yml} a catalog read from the operator's own tables. Immutable and thread-safe.
 */
public final class Catalog {
    private static final Catalog REFERENCE = new Catalog(ReferenceSchema.tables(), Map.of());

    private final Map<String, TableSpec> tables = new LinkedHashMap<>();
    private final Map<String, String> fingerprints;

    private Catalog(List<TableSpec> inOrder, Map<String, String> fingerprints) {
        this.fingerprints = Map.copyOf(fingerprints);
        for (TableSpec t : inOrder) {
            if (tables.put(t.name(), t) != null) {
                throw new IllegalArgumentException("table " + t.name() + " is described twice");
            }
        }
    }

    /** A catalog of these tables, which must already be in dependency order. */
    public static Catalog of(List<TableSpec> inDependencyOrder) {
        return new Catalog(inDependencyOrder, Map.of());
    }

    /**
     * A catalog of the operator's own tables, with a fingerprint of each table's definition as the
     * database describes it: a snapshot records them, and a rollback refuses when one changed since.
     */
    public static Catalog of(List<TableSpec> inDependencyOrder, Map<String, String> fingerprints) {
        return new Catalog(inDependencyOrder, fingerprints);
    }

    /** The fingerprints of the tables' definitions, by table; empty for the reference schema, which migrations version. */
    public Map<String, String> fingerprints() {
        return fingerprints;
    }

    /** The reference schema of DESIGN.md §4, which the built-in importers write. */
    public static Catalog reference() {
        return REFERENCE;
    }

    /** Every table, in dependency order. */
    public List<TableSpec> tables() {
        return new ArrayList<>(tables.values());
    }

    /** The table of this name; a programming error if the catalog has none. */
    public TableSpec table(String name) {
        TableSpec spec = tables.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("table " + name + " is not in the catalog");
        }
        return spec;
    }

    /** The table of this name, if the catalog has it. */
    public Optional<TableSpec> find(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** Position of {@code table} in dependency order. */
    public int order(String table) {
        int i = 0;
        for (String name : tables.keySet()) {
            if (name.equals(table)) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("table " + table + " is not in the catalog");
    }

    /** The tables in reverse dependency order: children before their parents, the order to delete in. */
    public List<TableSpec> reversed() {
        List<TableSpec> out = tables();
        Collections.reverse(out);
        return out;
    }
}
