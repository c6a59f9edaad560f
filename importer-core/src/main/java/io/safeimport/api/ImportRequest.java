package io.safeimport.api;

import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Importer;
import java.nio.file.Path;
import java.util.List;

/**
 * One import: one file ({@code import users}) or several in a fixed order in one transaction with
 * one snapshot ({@code import all}).
 *
 * @param name                 the importer name, or {@code all}; part of the run and snapshot ID
 * @param files                the files in the order they are applied
 * @param options              options importers see
 * @param dryRun               plan only; change nothing in the database
 * @param maxErrors            invalid rows tolerated (skipped and reported); above it nothing is written
 * @param backup               take the snapshot ({@code false} with {@code --no-backup}: the run cannot be rolled back)
 * @param validate             run the integrity checks before commit ({@code false} with {@code --no-validate})
 * @param fullSnapshot         {@code --snapshot full}: also snapshot every table the run may write, whole
 * @param ignoreUnknownColumns accept and ignore columns the importer does not know
 * @param logFile              the audit log path, or {@code null} for {@code <log dir>/<run id>.log}
 * @param planOut              with a dry-run: where to save the plan ({@code --plan-out}), or {@code null}
 * @param plan                 a saved plan the run must match exactly ({@code --plan}), or {@code null}
 * @param csvFormat            the files' separator and encoding ({@code --delimiter}, {@code --encoding})
 */
public record ImportRequest(String name, List<ImportFile> files, ImportOptions options, boolean dryRun, int maxErrors,
                            boolean backup, boolean validate, boolean fullSnapshot, boolean ignoreUnknownColumns,
                            Path logFile, Path planOut, Path plan, CsvFormat csvFormat) {

    public ImportRequest {
        if (csvFormat == null) {
            csvFormat = CsvFormat.DEFAULT;
        }
    }

    /** An import of comma-separated UTF-8 files ({@link CsvFormat#DEFAULT}). */
    public ImportRequest(String name, List<ImportFile> files, ImportOptions options, boolean dryRun, int maxErrors,
                         boolean backup, boolean validate, boolean fullSnapshot, boolean ignoreUnknownColumns,
                         Path logFile, Path planOut, Path plan) {
        this(name, files, options, dryRun, maxErrors, backup, validate, fullSnapshot, ignoreUnknownColumns, logFile, planOut,
                plan, CsvFormat.DEFAULT);
    }

    /** A CSV file and the importer that reads it. */
    public record ImportFile(Importer importer, Path path, String display) {
    }
}
