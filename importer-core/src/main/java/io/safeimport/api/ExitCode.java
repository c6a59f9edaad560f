package io.safeimport.api;

/**
 * The process exit codes of DESIGN.md §3 (a contract relied on by users' scripts).
 * Every failure a user can see maps to exactly one of these.
 */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0),
    /** The input was rejected; nothing was written. */
    REJECTED(1),
    /** The command line was wrong. */
    USAGE(2),
    /** Post-validation failed; the transaction was rolled back, nothing was written. */
    POST_VALIDATION_FAILED(3),
    /** Another run holds the import lock or the database file. */
    BUSY(4),
    /** Refused for safety: plan or drift mismatch, bad snapshot, production fence, a value the database would not store as planned. */
    REFUSED(5),
    /** The database is unreachable or its schema is missing. */
    DATABASE(6),
    /** A bug in safeimport. */
    INTERNAL(70);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /**
     * The JSON {@code status} of a run that ended with this code other than {@code OK} (DESIGN.md
     * §3): {@code rejected} (1), {@code rolled_back} (3), {@code refused} (4, 5), else {@code failed}.
     * The one place that maps a failure's exit code to its status.
     */
    public String failureStatus() {
        return switch (this) {
            case REJECTED -> "rejected";
            case POST_VALIDATION_FAILED -> "rolled_back";
            case BUSY, REFUSED -> "refused";
            default -> "failed";
        };
    }

    /** The numeric process exit status. */
    public int code() {
        return code;
    }
}
