package io.safeimport.cli;

import io.safeimport.spi.ImportOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import users --csv F}. */
@Command(name = "users", description = "Import people (users.csv), keyed by email.")
public final class ImportUsersCommand implements Callable<Integer> {
    @Mixin
    ImportCommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The users CSV file.")
    Path csv;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return ImportCommand.execute(spec.commandLine(), GlobalOptions.of(spec), common, output, "users",
                List.of(ImportCommand.file(ImportCommand.importer("users"), csv)),
                new ImportOptions(common.forceUpdate, false, null, false));
    }
}
