package io.safeimport.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every {@code import} command (DESIGN.md §3). */
public final class ImportCommonOptions {
    @Option(names = "--dry-run", description = "Show exactly what would change, row by row; change nothing.")
    boolean dryRun;

    @Option(names = "--force-update", description = "Apply relationship changes (team, manager, level, ...) instead of keeping the stored ones.")
    boolean forceUpdate;

    @Option(names = "--max-errors", paramLabel = "N", defaultValue = "0",
            description = "Skip up to N invalid rows (reported); with more, write nothing (default 0).")
    int maxErrors;

    @Option(names = "--no-backup", description = "Take no snapshot (the run cannot be rolled back).")
    boolean noBackup;

    @Option(names = "--no-validate", description = "Skip the integrity checks before commit.")
    boolean noValidate;

    @Option(names = "--snapshot", paramLabel = "touched|full", defaultValue = "touched",
            description = "touched (default): the rows the run changes; full: also every table it may write, whole.")
    String snapshot;

    @Option(names = "--ignore-unknown-columns", description = "Accept and ignore CSV columns the importer does not know.")
    boolean ignoreUnknownColumns;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Audit log file (default: <log dir>/<run id>.log).")
    Path logFile;

    @Option(names = "--plan-out", paramLabel = "FILE", description = "With --dry-run: save the plan to FILE for review.")
    Path planOut;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Apply exactly this saved plan: refused (exit 5) if the CSV or any row it read changed since.")
    Path plan;

    @Option(names = "--progress", description = "Show progress on stderr even with --output json.")
    boolean progress;
}
