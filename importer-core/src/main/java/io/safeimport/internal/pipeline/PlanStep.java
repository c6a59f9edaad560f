package io.safeimport.internal.pipeline;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.AcyclicReference;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Step 3 of DESIGN.md §2: every file read a second time and each row diffed against the database
 * by its natural key, chunk by chunk with the lookups read ahead ({@link LookAhead}); then the
 * manager cycles the run would make. A real run's plan goes to plan files in the work folder and
 * its pre-images to the snapshot; the counts, plan lines and errors go to the result.
 */
final class PlanStep {
    private final ImportRun run;
    private final ImportRequest request;
    private final ImportResult result;
    private final AuditLog audit;
    private final StepTimer timer;
    private final RowMapping mapping;

    PlanStep(ImportRun run) {
        this.run = run;
        this.request = run.request();
        this.result = run.result();
        this.audit = run.audit();
        this.timer = run.timer();
        this.mapping = new RowMapping(result);
    }

    /** Every file planned on {@code h}, then the cycles of the self-reference kept acyclic (a user's manager), if any; rejects the run if too many rows are invalid. */
    void run(Handle h, RowStore store) throws IOException {
        TableSpec selfRef = run.acyclicTable();
        CycleGraph cycles = new CycleGraph(selfRef, selfRef == null ? new KeySet() : run.inRun().getOrDefault(selfRef.name(), new KeySet()));
        audit.event("plan", "begin");
        long planStart = System.nanoTime();
        try (LookAhead lookAhead = new LookAhead(run.db(), run.catalog(), timer, run.roomAlongsidePlanning() ? IdOrder.AHEAD : IdOrder.AHEAD_TIGHT)) {
            for (int i = 0; i < request.files().size(); i++) {
                planFile(i, store, cycles, lookAhead);
            }
        }
        timer.add("plan", System.nanoTime() - planStart);
        if (run.digest() != null) {
            run.digest().finish();
        }
        result.planned(true);
        if (selfRef != null) {
            run.progress().progress("manager cycles", 0, -1);
            KeySet cyclic = timer.time("plan.cycles", () -> cycles.cyclicNodes(h));
            if (cyclic.size() > 0) {
                reportCycles(cyclic);
            }
        }
        cycles.release();
        // the run's key sets served validation and planning; apply works from the plan files
        run.inRun().clear();
        audit.event("plan", "end counts=" + result.counts().asMap() + " errors=" + result.errorCount());
        run.rejectIfTooMany();
        run.closePlanFiles();
    }

    private void planFile(int index, RowStore store, CycleGraph cycles, LookAhead lookAhead) {
        ImportRequest.ImportFile f = request.files().get(index);
        List<ImportError> headerErrors = new ArrayList<>();
        CsvFile csv = CsvFile.open(f.path(), f.display(), f.importer(), request.options(), request.ignoreUnknownColumns(),
                request.csvFormat(), headerErrors::add);
        if (csv == null) {
            throw new SafeImportException(ExitCode.REFUSED, f.display() + " changed while it was being read; nothing was written");
        }
        try (csv) {
            Planner planner = planner(index, csv, store, cycles);
            BitSet invalid = run.invalidRows().get(index);
            List<Planner.Mapped> chunk = new ArrayList<>(ImportPipeline.CHUNK);
            CsvFile.Row row;
            long rows = 0;
            while ((row = csv.next()) != null) {
                rows++;
                if (invalid.get((int) row.ordinal())) {
                    // invalid already: its references are still checked, so this run names all its errors
                    List<TargetRow> refs = mapping.references(csv.layout(), row);
                    if (!refs.isEmpty()) {
                        chunk.add(new Planner.Mapped(f.display(), row.line(), refs, row.fields(), true));
                    }
                } else {
                    List<TargetRow> targets = mapping.map(csv.layout(), row, false);
                    if (!targets.isEmpty()) {
                        chunk.add(new Planner.Mapped(f.display(), row.line(), targets, row.fields(), false));
                    }
                }
                if (chunk.size() == ImportPipeline.CHUNK) {
                    lookAhead.submit(chunk, planner);
                    chunk = new ArrayList<>(ImportPipeline.CHUNK);
                    run.progress().progress("plan " + f.display(), rows, result.csv().get(index).rows());
                }
            }
            lookAhead.submit(chunk, planner);
            lookAhead.drain();
            if (!csv.sha256().equals(run.shas().get(index))) {
                throw new SafeImportException(ExitCode.REFUSED, f.display() + " changed while it was being read (SHA-256 differs"
                        + " between passes); nothing was written. Import it again once it is complete");
            }
            audit.event("plan-file", "file=" + f.display() + " rows=" + rows);
        }
    }

    /** The planner of file {@code index}: its plan lines to the result and the audit log, its invalid rows to the rejects. */
    private Planner planner(int index, CsvFile csv, RowStore store, CycleGraph cycles) {
        String current = csv.layout().tables().get(csv.layout().tables().size() - 1);
        Planner.PlanSink sink = new Planner.PlanSink() {
            @Override
            public void line(ImportResult.PlanLine line) {
                result.plan(line);
                audit.detail("plan-row", line.file() + ":" + line.line() + " " + line.action() + " " + line.table()
                        + " " + line.key() + (line.detail().isEmpty() ? "" : " " + line.detail()));
            }

            @Override
            public void error(ImportError e) {
                run.error(e);
            }

            @Override
            public void invalid(Planner.Mapped row, List<ImportError> errors) {
                run.reject(index, csv.rawHeader(), row.raw(), row.line(), errors);
            }

            @Override
            public String csvColumn(String table, String column) {
                return request.files().get(index).importer().csvColumn(table, column);
            }

            @Override
            public String referenceNoun(String table, String column) {
                return request.files().get(index).importer().referenceNoun(table, column);
            }

            @Override
            public String missingReferenceAdvice(String table, String column) {
                return request.files().get(index).importer().missingReferenceAdvice(table, column);
            }

            @Override
            public List<String> requiredInNewRows(String table) {
                return request.files().get(index).importer().requiredInNewRows(table);
            }
        };
        return new Planner(store, request.options().forceUpdate(), run.inRun(), current, result,
                request.dryRun() || run.checkOnly() ? table -> null : run::planFile, run.pre(), sink,
                cycles, index, run.digest(), timer, run.order());
    }

    private void reportCycles(KeySet cyclic) {
        AcyclicReference acyclic = run.acyclic();
        // a third, cheap pass names the lines of the rows on a cycle
        for (int i = 0; i < request.files().size(); i++) {
            ImportRequest.ImportFile f = request.files().get(i);
            CsvFile csv = CsvFile.open(f.path(), f.display(), f.importer(), request.options(), request.ignoreUnknownColumns(),
                    request.csvFormat(), e -> { });
            if (csv == null) {
                continue;
            }
            try (csv) {
                CsvFile.Row row;
                while ((row = csv.next()) != null) {
                    for (TargetRow t : mapping.map(csv.layout(), row, false)) {
                        if (t.table().equals(acyclic.table()) && cyclic.contains(Keys.hash(Keys.of(run.catalog().table(t.table()), t.key())))) {
                            result.counts().add("invalid");
                            Object key = t.key().values().iterator().next();
                            run.error(new ImportError(f.display(), row.line(), acyclic.csvColumn(), acyclic.code(),
                                    String.format(acyclic.message(), key, cyclic.size())));
                        }
                    }
                }
            }
        }
        run.fatal(true);
    }
}
