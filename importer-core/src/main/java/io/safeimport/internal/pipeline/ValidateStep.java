package io.safeimport.internal.pipeline;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.csv.CsvFormatException;
import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.plan.Keys;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Steps 1 and 2 of DESIGN.md §2: every file read through once, each row checked on its own and for
 * duplicate keys across the run. It leaves the run's key sets (what the run itself provides, for
 * planning's reference checks), each file's invalid rows and SHA-256 (the plan pass must read the
 * same bytes), and whether the run is rejected already; it writes nothing to the database.
 */
final class ValidateStep {
    private final ImportRun run;
    private final ImportRequest request;
    private final ImportResult result;
    private final AuditLog audit;
    private final RowMapping mapping;

    ValidateStep(ImportRun run) {
        this.run = run;
        this.request = run.request();
        this.result = run.result();
        this.audit = run.audit();
        this.mapping = new RowMapping(result);
    }

    void run() {
        audit.event("validate", "begin");
        for (int i = 0; i < request.files().size(); i++) {
            validateFile(i);
        }
        audit.event("validate", "end errors=" + result.errorCount());
        if (run.fatal()) {
            run.rejectIfTooMany(); // a file that cannot be read through cannot be planned
        }
        run.checkOnly(result.errorCount() > request.maxErrors());
        if (run.checkOnly()) {
            // rejected already, but planning still finds the rows' reference errors: all errors in one run
            audit.event("validate", "more errors than --max-errors; planning only to find the remaining errors");
            return;
        }
        try {
            if (request.plan() != null) {
                PlanDigest digest = PlanDigest.verifying(run.work(), request.plan());
                run.digest(digest);
                digest.checkHeader(PlanDigest.header(request.name(), result, run.planOptions()));
                audit.event("plan", "checking against saved plan " + request.plan());
            } else if (request.planOut() != null) {
                run.digest(PlanDigest.recording(run.work()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void validateFile(int i) {
        ImportRequest.ImportFile f = request.files().get(i);
        BitSet invalid = new BitSet();
        run.invalidRows().add(invalid);
        CsvFile csv = CsvFile.open(f.path(), f.display(), f.importer(), request.options(),
                request.ignoreUnknownColumns(), request.csvFormat(), run::error);
        if (csv == null) {
            run.fatal(true);
            run.shas().add(null);
            return;
        }
        try (csv) {
            run.tables().addAll(csv.layout().tables());
            run.checks().addAll(f.importer().checks());
            long rows = 0;
            try {
                CsvFile.Row row;
                while ((row = csv.next()) != null) {
                    rows++;
                    validateRow(i, csv, row, invalid);
                    if (rows % ImportPipeline.CHUNK == 0) {
                        run.progress().progress("validate " + f.display(), rows,
                                ImportPipeline.estimatedRows(rows, csv.bytesRead(), ImportPipeline.fileSize(f.path())));
                    }
                }
            } catch (CsvFormatException e) {
                // a broken file (bad quoting, bad bytes) cannot be read past the fault
                run.error(e.toImportError());
                run.fatal(true);
            }
            String sha = csv.sha256();
            run.shas().add(sha);
            result.csv().add(new ImportResult.CsvInfo(f.path().toString(), sha, rows));
            audit.event("read", "file=" + f.display() + " rows=" + rows + " sha256=" + sha + " invalid=" + invalid.cardinality());
        }
    }

    private void validateRow(int fileIndex, CsvFile csv, CsvFile.Row row, BitSet invalid) {
        List<TargetRow> targets = mapping.map(csv.layout(), row, true);
        if (!row.rejected()) {
            List<String> keys = new ArrayList<>(targets.size());
            for (TargetRow t : targets) {
                keys.add(Keys.of(run.catalog().table(t.table()), t.key()));
            }
            for (int k = 0; k < targets.size(); k++) {
                if (!keyedBySibling(targets.get(k), k, keys)) {
                    checkDuplicate(csv, row, targets.get(k), keys.get(k), fileIndex << ImportPipeline.LINE_BITS);
                }
            }
        }
        if (row.rejected()) {
            invalid.set((int) row.ordinal());
            result.counts().add("invalid");
            row.errors().forEach(run::error);
            run.reject(fileIndex, csv.rawHeader(), row.fields(), row.line(), row.errors());
        }
    }

    /**
     * Whether {@code t}'s whole key is a reference to another row the same CSV row asks for (a
     * history row's compensation and seniority snapshots are keyed by its event). Such a row is
     * a duplicate exactly when that other row is, which its own key check finds, and no row of
     * any file refers to it: it needs no key set of its own. On 5,000,000 history events the
     * snapshots' key sets took about 100 MB of a 256 MB heap.
     */
    private static boolean keyedBySibling(TargetRow t, int index, List<String> keys) {
        if (t.key().size() != 1 || !(t.key().values().iterator().next() instanceof Ref r)) {
            return false;
        }
        // a key spells its table, so an equal key is a row of the referenced table
        int at = keys.indexOf(Keys.of(r));
        return at >= 0 && at != index;
    }

    /** @param key {@code t}'s key ({@link Keys#of(String, Map)}) */
    private void checkDuplicate(CsvFile csv, CsvFile.Row row, TargetRow t, String key, int fileTag) {
        int lineBits = ImportPipeline.LINE_BITS;
        if (row.line() >= 1L << lineBits) {
            throw new SafeImportException(ExitCode.REJECTED, csv.display() + " has more than " + ((1 << lineBits) - 1)
                    + " lines; split it into smaller files and import them one after another");
        }
        int prior = run.inRun().computeIfAbsent(t.table(), k -> new KeySet()).putIfAbsent(Keys.hash(key), fileTag | (int) row.line());
        if (prior >= 0 && (prior >>> lineBits) == (fileTag >>> lineBits)) {
            TableSpec spec = run.catalog().table(t.table());
            String code = spec.key().size() == 1 ? "duplicate_" + spec.key().get(0).replaceAll("_id$", "")
                    : "duplicate_" + spec.noun().replace(' ', '_');
            String column = spec.key().size() == 1 ? spec.key().get(0) : null;
            row.reject(column, code, "duplicate key " + Planner.display(spec, t.key()) + ": line " + (prior & ((1 << lineBits) - 1))
                    + " has the same " + spec.noun() + " (keys compare ignoring case and extra blanks); keep one of the rows");
        }
    }
}
