package io.safeimport.cli;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.SafeImportException;
import io.safeimport.importers.declared.DeclaredImporters;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.Printable;
import io.safeimport.spi.ImportOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code import all --dir D}: the production import. Whichever of the files exist are read in the
 * fixed order ladders, organizations, chapters, tribes, teams, users, history — all in one
 * transaction with one snapshot, so one rollback undoes the batch.
 */
@Command(name = "all", description = "Import a whole folder in the fixed production order, in one transaction with one snapshot.")
public final class ImportAllCommand implements Callable<Integer> {
    /** File name and importer, in the fixed order (DESIGN.md §3). */
    static final String[][] ORDER = {
        {"ladders.csv", "ladders"}, {"organizations.csv", "org"}, {"chapters.csv", "org"}, {"tribes.csv", "org"},
        {"teams.csv", "org"}, {"users.csv", "users"}, {"history.csv", "history"},
    };

    /** The fixed order as (file name, importer name) pairs, for other front ends such as safeimport-dev. */
    public static List<List<String>> order() {
        return Arrays.stream(ORDER).map(List::of).toList();
    }

    @Mixin
    ImportCommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Folder holding any of: ladders.csv organizations.csv chapters.csv tribes.csv teams.csv users.csv history.csv.")
    Path dir;

    @Option(names = "--create-users", description = "Create unknown leaders as users (email only).")
    boolean createUsers;

    @Option(names = "--update-existing", description = "Update existing history events instead of skipping them.")
    boolean updateExisting;

    @Option(names = "--ignore-unknown-files",
            description = "Import the known files even if the folder holds other CSV files (named, then left unread); without it such a folder is refused (exit 2).")
    boolean ignoreUnknownFiles;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new SafeImportException(ExitCode.USAGE, "--dir " + dir + " is not a folder");
        }
        GlobalOptions global = GlobalOptions.of(spec);
        if (global.configFile().isPresent()) {
            return declared(global);
        }
        List<String> unknown = unknownCsvFiles(dir);
        if (!unknown.isEmpty() && !ignoreUnknownFiles) {
            throw new SafeImportException(ExitCode.USAGE, dir + " holds " + describe(unknown) + " that import all does not read"
                    + " (it reads only " + KNOWN + "); rename or move "
                    + (unknown.size() == 1 ? "it" : "them") + ", or pass --ignore-unknown-files to import the known files without "
                    + (unknown.size() == 1 ? "it" : "them"));
        }
        List<ImportRequest.ImportFile> files = new ArrayList<>();
        for (String[] f : ORDER) {
            Path p = dir.resolve(f[0]);
            if (Files.isRegularFile(p)) {
                files.add(ImportCommand.file(ImportCommand.importer(f[1]), p));
            }
        }
        if (files.isEmpty()) {
            throw new SafeImportException(ExitCode.REJECTED, dir + " holds none of ladders.csv, organizations.csv, chapters.csv,"
                    + " tribes.csv, teams.csv, users.csv, history.csv; nothing to import");
        }
        List<ImportWarning> notRead = unknown.stream().map(n -> ImportWarning.ofFile("unknown_file", n,
                n + " was not read (not a file import all knows; --ignore-unknown-files)")).toList();
        return ImportCommand.execute(spec.commandLine(), GlobalOptions.of(spec), common, output, "all", files,
                new ImportOptions(common.forceUpdate, createUsers, null, updateExisting), notRead);
    }

    /**
     * With a {@code safeimport.yml}: the declared importers' files, {@code DIR/<name>.csv}, in the
     * config's {@code order:} (else the order they are declared in), in one transaction with one
     * snapshot, as for the built-ins.
     */
    private int declared(GlobalOptions global) {
        Database db = global.connect();
        DeclaredImporters declared = DeclaredConfig.usable(global, db, spec.commandLine().getErr());
        Set<String> known = new HashSet<>();
        List<ImportRequest.ImportFile> files = new ArrayList<>();
        for (String name : declared.order()) {
            known.add(name + ".csv");
            Path p = dir.resolve(name + ".csv");
            if (Files.isRegularFile(p)) {
                files.add(ImportCommand.file(declared.importers().get(name), p));
            }
        }
        List<String> unknown = csvFilesOtherThan(dir, known);
        String expected = String.join(", ", declared.order().stream().map(n -> n + ".csv").toList());
        if (!unknown.isEmpty() && !ignoreUnknownFiles) {
            throw new SafeImportException(ExitCode.USAGE, dir + " holds " + describe(unknown) + " that import all does not read"
                    + " (with " + global.configFile().get().getFileName() + " it reads only " + expected + "); rename or move "
                    + (unknown.size() == 1 ? "it" : "them") + ", or pass --ignore-unknown-files");
        }
        if (files.isEmpty()) {
            throw new SafeImportException(ExitCode.REJECTED, dir + " holds none of " + expected + "; nothing to import");
        }
        List<ImportWarning> notRead = unknown.stream().map(n -> ImportWarning.ofFile("unknown_file", n,
                n + " was not read (no importer of that name is declared; --ignore-unknown-files)")).toList();
        return ImportCommand.execute(spec.commandLine(), global, common, output, "all", files,
                new ImportOptions(common.forceUpdate, false, null, false), notRead);
    }

    private static final String KNOWN = String.join(", ", Arrays.stream(ORDER).map(f -> f[0]).toList());

    /**
     * The CSV files of the folder that import all does not read (any case of {@code .csv}, and a
     * known name in another case, {@code Users.csv}, which a case-sensitive file system would skip),
     * sorted by name.
     */
    static List<String> unknownCsvFiles(Path dir) {
        Set<String> known = new HashSet<>();
        for (String[] f : ORDER) {
            known.add(f[0]);
        }
        return csvFilesOtherThan(dir, known);
    }

    /** The CSV files of the folder whose names are not among {@code known}, sorted by name. */
    private static List<String> csvFilesOtherThan(Path dir, Set<String> known) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
                    .filter(p -> !known.contains(p.getFileName().toString()))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new SafeImportException(ExitCode.USAGE, "cannot list --dir " + dir + ": " + e.getMessage());
        }
    }

    private static String describe(List<String> names) {
        List<String> escaped = names.stream().map(Printable::escape).toList();
        return (names.size() == 1 ? "a CSV file, " : names.size() + " CSV files, ") + String.join(", ", escaped) + ",";
    }
}
