package io.safeimport.cli;

import io.safeimport.importers.declared.ConfiguredImporter;
import io.safeimport.importers.declared.DeclaredImporters;
import io.safeimport.internal.db.Database;
import io.safeimport.spi.ImportOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code import NAME --csv F}: an importer declared in {@code safeimport.yml} (DESIGN.md §7), with
 * every option of the built-ins. Registered under its name by {@link DeclaredConfig#register}.
 */
@Command(name = "declared", description = "An importer declared in safeimport.yml.")
final class ImportDeclaredCommand implements Callable<Integer> {
    @Mixin
    ImportCommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV file.")
    Path csv;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String name = spec.name();
        GlobalOptions global = GlobalOptions.of(spec);
        Database db = global.connect();
        DeclaredImporters declared = DeclaredConfig.usable(global, db, spec.commandLine().getErr());
        ConfiguredImporter importer = declared.importers().get(name);
        if (importer == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + name + "' is no longer declared in the config");
        }
        return ImportCommand.execute(spec.commandLine(), global, common, output, name, List.of(ImportCommand.file(importer, csv)),
                new ImportOptions(common.forceUpdate, false, null, false));
    }
}
