package io.safeimport.dev;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.Console;
import picocli.CommandLine.Option;

/** {@code --yes}, and the question asked on a terminal without it. */
public final class ConfirmOptions {
    @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
    boolean yes;

    /**
     * Yes with {@code --yes}; else {@code [y/N]} on the terminal; with neither, a usage error
     * (exit 2), raised only after the fence has been passed and before anything is written.
     */
    Reset.Confirmation confirmation() {
        if (yes) {
            return question -> true;
        }
        Console console = System.console();
        if (console == null) {
            return question -> {
                throw new SafeImportException(ExitCode.USAGE, "this deletes data and there is no terminal to confirm on:"
                        + " pass --yes (" + question + ")");
            };
        }
        return question -> {
            String answer = console.readLine("%s [y/N] ", question);
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        };
    }
}
