package io.safeimport.spi;

import java.util.List;
import java.util.Optional;

/**
 * A reference-schema table as the pipeline sees it.
 *
 * @param name      table name
 * @param key       the columns of the natural key (unique index), in order; a key column may be a
 *                  reference (for example {@code ladder_level} is keyed by {@code ladder_id, level})
 * @param columns   every column except {@code id}, key columns included
 * @param large     {@code true} for tables that may hold millions of rows: keys are looked up per
 *                  chunk (with {@code IN (...)} on the first key column, or on MySQL/MariaDB by the
 *                  whole composite key), whose stored values must be canonical (emails are stored
 *                  lower-case); {@code false} for small tables whose keys are cached whole for the run
 * @param createdBy the command that creates rows of this table, quoted in "does not exist" errors
 * @param noun      how a row of this table is named in messages ("team", "user")
 * @param id        the table's surrogate primary key: one integer column the database fills
 *                  (auto-increment, identity or serial), of any name ({@code id} in the reference
 *                  schema, {@code user_pk} in someone else's). Plans, snapshots and the pipeline's
 *                  own row maps call it {@code id} whatever the column's name; only SQL names it.
 *                  {@code null} for a table whose primary key is its natural key ({@link #keyed()}):
 *                  a job code, or an employee and a start date.
 */
public record TableSpec(String name, List<String> key, List<ColumnSpec> columns, boolean large,
                        String createdBy, String noun, String id) {

    /** The name the pipeline's row maps, plans and snapshots give a row's surrogate key, whatever its column is called. */
    public static final String ID = "id";

    public TableSpec {
        key = List.copyOf(key);
        columns = List.copyOf(columns);
        if (id != null && id.isEmpty()) {
            throw new IllegalArgumentException("table " + name + ": the surrogate key column has no name");
        }
        for (ColumnSpec c : columns) {
            if (id == null && c.name().equals(ID)) {
                throw new IllegalArgumentException("table " + name + ": a column named id beside a natural primary key");
            }
            if (id != null && (c.name().equals(id) || c.name().equals(ID))) {
                throw new IllegalArgumentException("table " + name + ": column " + c.name() + " is its surrogate key or named like it;"
                        + " list the key as id, not among the columns");
            }
        }
    }

    /** A table whose surrogate key column is called {@code id}, as in the reference schema. */
    public TableSpec(String name, List<String> key, List<ColumnSpec> columns, boolean large, String createdBy, String noun) {
        this(name, key, columns, large, createdBy, noun, ID);
    }

    /**
     * Whether the table's primary key is its natural key (all of {@link #key()}, filled from the
     * file) rather than a surrogate id the database fills. The pipeline still knows each row by a
     * {@code long} id ({@code RowIds}: a fingerprint of the key), but SQL addresses the row by its
     * key columns, and references to it store its key value.
     */
    public boolean keyed() {
        return id == null;
    }

    /** The column of this name, if the table has it. */
    public Optional<ColumnSpec> column(String column) {
        return Optional.ofNullable(find(column));
    }

    /** The column of this name; a programming error if it does not exist. */
    public ColumnSpec requireColumn(String column) {
        ColumnSpec c = find(column);
        if (c == null) {
            throw new IllegalArgumentException("table " + name + " has no column " + column);
        }
        return c;
    }

    /**
     * The column of this name, or {@code null}. Called per value on hot paths: a linear scan over
     * about ten columns beats hashing, and {@link #requireColumn} allocates no Optional.
     */
    private ColumnSpec find(String column) {
        for (ColumnSpec c : columns) {
            if (c.name().equals(column)) {
                return c;
            }
        }
        return null;
    }

    /** The column that references this table itself (a user's manager), or {@code null}. */
    public String selfReference() {
        for (ColumnSpec c : columns) {
            if (name.equals(c.references())) {
                return c.name();
            }
        }
        return null;
    }

    /** Whether {@code column} is part of the natural key. */
    public boolean isKey(String column) {
        return key.contains(column);
    }
}
