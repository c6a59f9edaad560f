package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every row an import wrote, in the order it wrote them ({@code touched.jsonl.gz} in the run's work
 * folder), and from it the snapshot's changes file with each row's pre-image and post-image. Separate
 * from {@link Applier} because the snapshot reads it after the writes, and because it decides which
 * post-images must be read again.
 */
final class TouchedRows {
    private final Path file;
    private final JsonLines.Writer touched;
    /**
     * Rows this run inserted and then changed again (an earlier file's new row filled in by a merge),
     * as {@code table#id}: their post-image read at insert time is stale, so {@link #writeChanges}
     * reads them again. Rows whose references are set afterwards never get one at insert time.
     */
    private final Set<String> changedAfterInsert = new HashSet<>();

    TouchedRows(Path work) throws IOException {
        this.file = work.resolve("touched.jsonl.gz");
        this.touched = JsonLines.write(file);
    }

    Path file() {
        return file;
    }

    /** Records a row written: {@code table}, {@code op}, {@code id}, its pre-image, and its post-image when known now. */
    void write(ObjectNode row) throws IOException {
        touched.write(row);
    }

    /** Records that the row {@code table#id}, inserted by this run, was changed again: its post-image is read at the end. */
    void changedAfterInsert(String row) {
        changedAfterInsert.add(row);
    }

    void close() throws IOException {
        touched.close();
    }

    /**
     * Writes the snapshot's changes file: every touched row with its pre-image and its post-image as
     * stored now. Rows that carry a post-image from their insert and were not changed since keep it;
     * the others are read by id, a chunk at a time.
     */
    void writeChanges(RowStore store, JsonLines.Writer changes) throws IOException {
        JsonLines.forEachChunk(file(), Applier.CHUNK, chunk -> {
            Map<String, List<Long>> toRead = new LinkedHashMap<>();
            boolean[] read = new boolean[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode t = chunk.get(i);
                read[i] = !t.has("post") || changedAfterInsert.contains(t.get("table").asText() + "#" + t.get("id").asLong());
                if (read[i]) {
                    toRead.computeIfAbsent(t.get("table").asText(), k -> new ArrayList<>()).add(t.get("id").asLong());
                }
            }
            Map<String, Map<Long, Map<String, Object>>> rows = new LinkedHashMap<>();
            toRead.forEach((table, ids) -> rows.put(table, store.rowsById(store.catalog().table(table), ids, false)));
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode t = chunk.get(i);
                if (read[i]) {
                    TableSpec spec = store.catalog().table(t.get("table").asText());
                    Map<String, Object> post = rows.get(spec.name()).get(t.get("id").asLong());
                    if (post == null) {
                        throw new IllegalStateException(spec.name() + " #" + t.get("id").asLong() + " vanished inside the transaction");
                    }
                    t.set("post", RowCodec.row(spec, post));
                }
                changes.write(t);
            }
        });
    }
}
