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
 * @param length     for a {@link ColumnType#TEXT} column, the most characters (Unicode code points) it holds,
 *                   as declared by the migrations ({@code VARCHAR(n)}, {@code CHAR(n)}); {@code 0} for other types.
 *                   Validation refuses longer values, so no plan holds a value the column cannot store.
 */
public record ColumnSpec(String name, ColumnType type, String references, boolean nullable, Object defaultValue, int length) {

    public ColumnSpec {
        if (type == ColumnType.TEXT ? length <= 0 : length != 0) {
            throw new IllegalArgumentException("column " + name + ": a text column needs its length, other columns have none");
        }
    }

    /** A text column holding at most {@code length} characters. */
    public static ColumnSpec text(String name, boolean nullable, int length) {
        return new ColumnSpec(name, ColumnType.TEXT, null, nullable, null, length);
    }

    /** A column of a type other than {@link ColumnType#TEXT}. */
    public static ColumnSpec of(String name, ColumnType type, boolean nullable) {
        return new ColumnSpec(name, type, null, nullable, null, 0);
    }

    /** A NOT NULL column of a type other than {@link ColumnType#TEXT} with a schema default (as in the migration). */
    public static ColumnSpec withDefault(String name, ColumnType type, Object defaultValue) {
        return new ColumnSpec(name, type, null, false, defaultValue, 0);
    }

    public static ColumnSpec ref(String name, String table, boolean nullable) {
        return new ColumnSpec(name, ColumnType.ID, table, nullable, null, 0);
    }

    /** Whether this column points at another row. */
    public boolean isReference() {
        return references != null;
    }
}
