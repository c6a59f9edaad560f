package io.safeimport.cli;

import io.safeimport.spi.ImportOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import org --csv F [--create-users]}. */
@Command(name = "org", description = "Import organizations, chapters, tribes or teams (the kind is the first header column).")
public final class ImportOrgCommand implements Callable<Integer> {
    @Mixin
    ImportCommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "organizations.csv, chapters.csv, tribes.csv or teams.csv.")
    Path csv;

    @Option(names = "--create-users", description = "Create unknown leaders as users (email only) for a later users import to complete.")
    boolean createUsers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return ImportCommand.execute(spec.commandLine(), GlobalOptions.of(spec), common, output, "org",
                List.of(ImportCommand.file(ImportCommand.importer("org"), csv)),
                new ImportOptions(common.forceUpdate, createUsers, null, false));
    }
}
