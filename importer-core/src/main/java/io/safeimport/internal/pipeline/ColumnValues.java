package io.safeimport.internal.pipeline;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.TableSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A column's values as the pipeline writes and compares them: bound to statements by the column's
 * Java type, and compared by the column's type. Shared by an import's writers and a rollback's drift
 * check and restore, so it stands apart from both.
 */
final class ColumnValues {
    private ColumnValues() {
    }

    /**
     * Binds by the column's Java type, nulls included: a prepared batch fixes each parameter's type
     * from its first row, so a typed null keeps later rows with values bindable.
     */
    static void bind(PreparedBatch b, ColumnSpec c, Object value) {
        b.bindByType(c.name(), c.type().canonical(value), javaType(c.type()));
    }

    static Class<?> javaType(ColumnType type) {
        return switch (type) {
            case TEXT -> String.class;
            case INTEGER -> Integer.class;
            case BIGINT -> Long.class;
            case DATETIME -> LocalDateTime.class;
            case DECIMAL -> BigDecimal.class;
            case DATE -> LocalDate.class;
            case BOOLEAN -> Boolean.class;
            case ID -> Long.class;
        };
    }

    /** The first column whose value differs, as {@code "title"}, or {@code null} when the rows are the same. */
    static String firstDifference(TableSpec spec, Map<String, Object> a, Map<String, Object> b) {
        for (ColumnSpec c : spec.columns()) {
            if (!c.type().same(a.get(c.name()), b.get(c.name()))) {
                return c.name() + " is now " + (b.get(c.name()) == null ? "empty" : "\"" + b.get(c.name()) + "\"");
            }
        }
        return null;
    }
}
