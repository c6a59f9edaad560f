package io.safeimport.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND [SUBCOMMAND...]]}: the usage page of any command, found by its path
 * ({@code help import users}), on stdout, exit 0. picocli's own {@code HelpCommand} takes a single
 * name and so could only show {@code import}. An unknown name is a usage error (exit 2).
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of a command, e.g. `help import users` (same as `import users --help`).")
public final class HelpCommand implements Runnable, CommandLine.IHelpCommandInitializable2 {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command path, e.g. import users.")
    List<String> path = List.of();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colorScheme;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colorScheme = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : path) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                String known = target.getSubcommands().isEmpty() ? "it has no subcommands"
                        : "its commands are " + String.join(", ", target.getSubcommands().keySet());
                throw new CommandLine.ParameterException(self, "'" + name + "' is not a command of '"
                        + target.getCommandSpec().qualifiedName() + "': " + known);
            }
            target = sub;
        }
        target.usage(out, colorScheme);
        out.flush();
    }
}
