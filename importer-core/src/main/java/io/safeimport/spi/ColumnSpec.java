package io.safeimport.spi;

/**
 * One column of a reference-schema table other than its {@code id}.
 *
 * @param name       the column name (identifiers only ever come from code, never from input)
 * @param type       the kind of value
 * @param references for an {@link ColumnType#ID} column, the table whose {@code id} it holds;
 *                   {@code null} otherwise. Such a column is a <em>relationship</em>: it is only
 *                   filled when empty unless {@code --force-update}.
 * @param nullable   whether the column may be {@code NULL}
 * @param defaultValue the value the schema gives a new row that leaves this column out, or {@code null}
 */
public record ColumnSpec(String name, ColumnType type, String references, boolean nullable, Object defaultValue) {

    public static ColumnSpec text(String name, boolean nullable) {
        return new ColumnSpec(name, ColumnType.TEXT, null, nullable, null);
    }

    public static ColumnSpec of(String name, ColumnType type, boolean nullable) {
        return new ColumnSpec(name, type, null, nullable, null);
    }

    /** A NOT NULL column with a schema default (as in the migration). */
    public static ColumnSpec withDefault(String name, ColumnType type, Object defaultValue) {
        return new ColumnSpec(name, type, null, false, defaultValue);
    }

    public static ColumnSpec ref(String name, String table, boolean nullable) {
        return new ColumnSpec(name, ColumnType.ID, table, nullable, null);
    }

    /** Whether this column points at another row. */
    public boolean isReference() {
        return references != null;
    }
}
