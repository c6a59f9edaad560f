package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.RollbackResult;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The last step of a rollback: the rows the run inserted deleted, their references to one another
 * cut first and children deleted before parents. Separate from {@link RestoreWriter} because it
 * runs only after {@link DependentsCheck} found that nothing outside the run points at those rows.
 */
final class RemoveWriter {
    private static final int CHUNK = Rollback.CHUNK;

    private final Catalog catalog;
    private final ProgressListener progress;

    RemoveWriter(Catalog catalog, ProgressListener progress) {
        this.catalog = catalog;
        this.progress = progress;
    }

    /**
     * The id of a row the changes file lists; for a table with a natural primary key its key is
     * read from the row's post-image, so that SQL can name the row by it.
     */
    private long rowId(TableSpec spec, ObjectNode change) {
        if (spec.keyed()) {
            RowCodec.read(catalog, spec, change.get("post"));
        }
        return change.get("id").asLong();
    }

    /** Deletes the rows {@code changes} lists as inserted, counting them in {@code result}. */
    void remove(RowStore store, Path changes, RollbackResult result, long total) throws IOException {
        // first cut references between rows about to go, then delete children before parents
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            for (Map.Entry<String, List<ObjectNode>> e : JsonLines.byTable(chunk).entrySet()) {
                TableSpec spec = catalog.table(e.getKey());
                List<String> nullable = spec.columns().stream().filter(c -> c.isReference() && c.nullable()).map(ColumnSpec::name).toList();
                List<Long> ids = e.getValue().stream().filter(n -> "insert".equals(n.get("op").asText())).map(n -> rowId(spec, n)).toList();
                if (!nullable.isEmpty() && !ids.isEmpty()) {
                    RowIds.Condition where = RowIds.where(spec, ids, "ids");
                    where.bind(store.handle().createUpdate("UPDATE " + spec.name() + " SET "
                                    + String.join(", ", nullable.stream().map(c -> c + " = NULL").toList()) + " WHERE " + where.sql()))
                            .execute();
                }
            }
        });
        List<TableSpec> reverse = new ArrayList<>(catalog.tables());
        Collections.reverse(reverse);
        for (TableSpec spec : reverse) {
            JsonLines.forEachChunk(changes, CHUNK, chunk -> {
                List<Long> ids = chunk.stream().filter(n -> n.get("table").asText().equals(spec.name()) && "insert".equals(n.get("op").asText()))
                        .map(n -> rowId(spec, n)).toList();
                if (!ids.isEmpty()) {
                    RowIds.Condition where = RowIds.where(spec, ids, "ids");
                    int n = where.bind(store.handle().createUpdate("DELETE FROM " + spec.name() + " WHERE " + where.sql())).execute();
                    result.table(spec.name()).removed(n);
                    store.forget(spec);
                    progress.progress("remove", result.tables().values().stream().mapToLong(RollbackResult.TableCounts::removed).sum(), total);
                }
            });
        }
    }
}
