package io.safeimport.internal.pipeline;

import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which runs held the import lock, as a rollback names them: the drift check and the
 * dependents check both tell the operator which later runs to roll back first, newest first, so
 * they share this one ordering, which reads the runs' snapshot manifests.
 */
final class RunOrder {
    private final SnapshotStore snapshots;

    RunOrder(SnapshotStore snapshots) {
        this.snapshots = snapshots;
    }

    /**
     * The runs newest first. The run table may keep start times to the second only (then two runs of
     * the same second would tie, and their IDs end in random hex), so runs are ordered by when their
     * snapshot was written, to the nanosecond: runs hold the import lock in turn, so that is their order.
     */
    List<RunStore.Run> newestFirst(List<RunStore.Run> runs) {
        Map<String, Instant> at = new LinkedHashMap<>();
        for (RunStore.Run r : runs) {
            Instant t = r.startedAt();
            if (r.snapshotId() != null && RunIds.isValid(r.snapshotId())) {
                try {
                    t = Instant.parse(snapshots.manifest(r.snapshotId()).path("created_at").asText());
                } catch (RuntimeException e) {
                    // no readable manifest: the run table's time will do
                }
            }
            at.put(r.runId(), t);
        }
        List<RunStore.Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing((RunStore.Run r) -> at.get(r.runId())).reversed());
        return sorted;
    }
}
