package io.safeimport.spi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A reference to a row by its natural key, as written in a CSV file: {@code Ref.to("team", "Payments")},
 * {@code Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3)}. Key parts are {@link String},
 * {@link Integer}, {@link java.time.LocalDate} or nested {@code Ref}s, in the order of the target
 * table's {@link TableSpec#key()}. The pipeline resolves it to an id in the database or in the same run.
 */
public record Ref(String table, List<Object> key) {

    public Ref {
        key = List.copyOf(key);
    }

    public static Ref to(String table, Object... key) {
        return new Ref(table, List.of(key));
    }

    /** The key as a user wrote it, for messages: {@code 'ENG' level 3}. */
    public String display() {
        return key.stream().map(k -> k instanceof Ref r ? r.display() : "'" + k + "'").collect(Collectors.joining(" "));
    }
}
