package io.safeimport.dev;

import picocli.CommandLine.Option;

/** {@code --allow-remote}: the one way past the host fence (never past the development mark). */
public final class FenceOptions {
    @Option(names = "--allow-remote",
            description = "Allow a database that is not on this machine (it must still be marked development).")
    boolean allowRemote;
}
