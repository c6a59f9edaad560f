package io.safeimport.api;

/**
 * The one unchecked root exception of safeimport. Its message is a complete sentence
 * meant for the operator (it names the file, line, column or flag where one applies);
 * its {@link #exitCode()} is what the process exits with. The CLI prints only the
 * message unless {@code --debug} is given.
 */
public class SafeImportException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public SafeImportException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SafeImportException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code a command ends with when this exception reaches it. */
    public ExitCode exitCode() {
        return exitCode;
    }
}
