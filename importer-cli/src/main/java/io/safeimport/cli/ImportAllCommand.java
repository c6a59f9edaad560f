package io.safeimport.cli;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.SafeImportException;
import io.safeimport.spi.ImportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
        return java.util.Arrays.stream(ORDER).map(List::of).toList();
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new SafeImportException(ExitCode.USAGE, "--dir " + dir + " is not a folder");
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
        return ImportCommand.execute(spec.commandLine(), GlobalOptions.of(spec), common, output, "all", files,
                new ImportOptions(common.forceUpdate, createUsers, null, updateExisting));
    }
}
