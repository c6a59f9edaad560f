package io.safeimport.internal.config;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.util.List;

/**
 * A config file that cannot be used as written: unreadable, not YAML, or with unknown keys or
 * wrong shapes. Always a usage error (exit 2). {@link #problems()} holds every problem found,
 * each one line {@code file:line:column: what is wrong and what to do}; the message joins them.
 */
public final class ConfigFileException extends SafeImportException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public ConfigFileException(List<String> problems) {
        super(ExitCode.USAGE, String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in file order, each one line. */
    public List<String> problems() {
        return problems;
    }
}
