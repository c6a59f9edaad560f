package io.safeimport.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code completion bash|zsh}: prints a script that completes this command line's commands and
 * options (picocli's {@link AutoComplete}). The one script serves both shells: in zsh it loads
 * {@code bashcompinit} itself.
 */
@Command(name = "completion",
        description = {"Print a shell completion script for this command.",
                "bash: source <(./safeimport completion bash)   (or save it in /etc/bash_completion.d/)",
                "zsh:  source <(./safeimport completion zsh)    (in ~/.zshrc)"})
public final class CompletionCommand implements Callable<Integer> {
    /** The shells the script works in. */
    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(spec.root().name(), root));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
