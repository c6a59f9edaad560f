package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.importers.UsersImporter;
import io.safeimport.internal.pipeline.ImportPipeline;
import io.safeimport.spi.ImportOptions;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every phase of an import that can take long is announced (validation and planning per chunk of rows) to the progress listener, also those
 * that are one long statement (integrity checks, the snapshot, the commit): the plain reporter then
 * prints their line every few seconds (ProgressReporterTest), where before a 10 s check was silent.
 */
class ImportProgressTest {
    @TempDir
    Path dir;

    @EveryDatabase
    void everyPhaseOfARealImportIsAnnounced(TestDatabase db) throws Exception {
        UsersImportTest.orgStructure(db);
        Path csv = CrashSafetyTest.bigUsers(dir, 50);
        List<String> phases = new ArrayList<>();
        ImportRequest request = new ImportRequest("users", List.of(ImportCommand.file(new UsersImporter(), csv)),
                ImportOptions.defaults(), false, 0, true, true, false, false, null, null, null);
        ImportResult result = new ImportPipeline(db.database(), dir.resolve("snapshots"), dir.resolve("logs"), Clock.systemUTC(),
                (phase, done, total) -> {
                    if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                        phases.add(phase);
                    }
                }, 0).run(request);
        assertEquals("committed", result.status(), String.valueOf(result.message()));
        for (String phase : List.of("manager cycles", "snapshot", "checks before", "apply",
                "checks after", "snapshot changes", "commit")) {
            assertTrue(phases.contains(phase), phase + " announced: " + phases);
        }
    }
}
