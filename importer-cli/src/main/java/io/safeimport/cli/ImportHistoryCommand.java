package io.safeimport.cli;

import io.safeimport.spi.ImportOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import history --csv F [--skip-duplicates|--update-existing]}. */
@Command(name = "history", description = "Import timeline events with their compensation and seniority snapshots.")
public final class ImportHistoryCommand implements Callable<Integer> {
    @Mixin
    ImportCommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The history CSV file.")
    Path csv;

    @ArgGroup(exclusive = true)
    Duplicates duplicates;

    /** What to do with events that exist. */
    static final class Duplicates {
        @Option(names = "--skip-duplicates", description = "Leave existing events as they are (default).")
        boolean skip;

        @Option(names = "--update-existing", description = "Update existing events and their snapshots.")
        boolean update;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return ImportCommand.execute(spec.commandLine(), GlobalOptions.of(spec), common, output, "history",
                List.of(ImportCommand.file(ImportCommand.importer("history"), csv)),
                new ImportOptions(common.forceUpdate, false, null, duplicates != null && duplicates.update));
    }
}
