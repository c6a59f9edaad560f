package io.safeimport.spi;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A reference to a row by its natural key, as written in a CSV file: {@code Ref.to("team", "Payments")},
 * {@code Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3)}. Key parts are {@link String},
 * {@link Integer}, {@link java.time.LocalDate} or nested {@code Ref}s, in the order of the target
 * table's {@link TableSpec#key()}. The pipeline resolves it to an id in the database or in the same run.
 *
 * <p>A value class rather than a record only to keep its hash: planning looks every reference up
 * in hash maps several times, a million rows at a time.
 */
public final class Ref {
    private final String table;
    private final List<Object> key;
    private final int hash;

    public Ref(String table, List<Object> key) {
        this.table = Objects.requireNonNull(table, "table");
        this.key = List.copyOf(key);
        this.hash = 31 * table.hashCode() + this.key.hashCode();
    }

    public static Ref to(String table, Object... key) {
        return new Ref(table, List.of(key));
    }

    /** The referenced table. */
    public String table() {
        return table;
    }

    /** The natural key parts, in the order of the table's key columns. */
    public List<Object> key() {
        return key;
    }

    /** The key as a user wrote it, for messages: {@code 'ENG' level 3}. */
    public String display() {
        return key.stream().map(k -> k instanceof Ref r ? r.display() : "'" + k + "'").collect(Collectors.joining(" "));
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Ref r && hash == r.hash && table.equals(r.table) && key.equals(r.key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "Ref[table=" + table + ", key=" + key + "]";
    }
}
