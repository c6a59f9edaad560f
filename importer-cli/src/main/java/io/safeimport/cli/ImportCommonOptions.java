package io.safeimport.cli;

import io.safeimport.api.CsvFormat;
import java.nio.charset.Charset;
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

    @Option(names = "--delimiter", paramLabel = "CHAR", defaultValue = ",",
            description = "Field separator of the CSV files: ',' (default), ';' (spreadsheets in much of Europe), tab (also '\\t'), or another single character.")
    String delimiter;

    @Option(names = "--encoding", paramLabel = "CHARSET", defaultValue = "UTF-8",
            description = "Encoding of the CSV files (default UTF-8; never guessed), e.g. windows-1252 for a legacy Excel export.")
    String encoding;

    @Option(names = "--log-file", paramLabel = "FILE", description = "Audit log file (default: <log dir>/<run id>.log).")
    Path logFile;

    @Option(names = "--plan-out", paramLabel = "FILE", description = "With --dry-run: save the plan to FILE for review.")
    Path planOut;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Apply exactly this saved plan: refused (exit 5) if the CSV or any row it read changed since.")
    Path plan;

    @Option(names = "--progress", description = "Show progress on stderr even with --output json.")
    boolean progress;

    /**
     * The CSV format {@code --delimiter} and {@code --encoding} name.
     *
     * @throws IllegalArgumentException naming the option and what it accepts
     */
    CsvFormat csvFormat() {
        char d = switch (delimiter) {
            case "tab", "\\t", "\t" -> '\t';
            case "comma" -> ',';
            case "semicolon" -> ';';
            default -> {
                if (delimiter.length() != 1 || Character.isLetterOrDigit(delimiter.charAt(0)) || delimiter.charAt(0) == '"'
                        || delimiter.charAt(0) == '\r' || delimiter.charAt(0) == '\n' || delimiter.charAt(0) == ' ') {
                    throw new IllegalArgumentException("--delimiter must be one character such as ',' or ';', or tab (also"
                            + " '\\t'); not a letter, digit, blank, quote or line break: got '" + delimiter + "'");
                }
                yield delimiter.charAt(0);
            }
        };
        Charset charset;
        try {
            charset = Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--encoding " + encoding + " is not an encoding this Java knows; use a name such as"
                    + " UTF-8, windows-1252, ISO-8859-1 or UTF-16");
        }
        return new CsvFormat(d, charset);
    }
}
