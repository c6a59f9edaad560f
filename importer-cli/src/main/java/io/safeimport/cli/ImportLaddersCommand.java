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

/** {@code import ladders --csv F [--ladders-only|--aspects-only|--levels-only]}. */
@Command(name = "ladders", description = "Import career ladders, their aspects and levels (one file).")
public final class ImportLaddersCommand implements Callable<Integer> {
    @Mixin
    ImportCommonOptions common;

    @Mixin
    OutputOptions output;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The ladders CSV file.")
    Path csv;

    @ArgGroup(exclusive = true)
    Only only;

    /** At most one kind. */
    static final class Only {
        @Option(names = "--ladders-only", description = "Import only ladder rows (others are reported as skipped).")
        boolean ladders;

        @Option(names = "--aspects-only", description = "Import only aspect rows.")
        boolean aspects;

        @Option(names = "--levels-only", description = "Import only level rows.")
        boolean levels;

        String kind() {
            return ladders ? "ladder" : aspects ? "aspect" : levels ? "level" : null;
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return ImportCommand.execute(spec.commandLine(), GlobalOptions.of(spec), common, output, "ladders",
                List.of(ImportCommand.file(ImportCommand.importer("ladders"), csv)),
                new ImportOptions(common.forceUpdate, false, only == null ? null : only.kind(), false));
    }
}
