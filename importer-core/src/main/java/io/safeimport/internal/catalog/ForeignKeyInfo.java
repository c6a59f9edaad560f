package io.safeimport.internal.catalog;

import java.util.List;

/**
 * A foreign key of a table: its {@code columns} reference {@code referencedColumns} of {@code table},
 * position by position.
 */
public record ForeignKeyInfo(List<String> columns, String table, List<String> referencedColumns) {
    public ForeignKeyInfo {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }
}
