package io.safeimport.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}: JSON prints exactly one object on stdout; everything else goes to stderr. */
public final class OutputOptions {
    enum Format { text, json }

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
            description = "text (default) or json: exactly one JSON object on stdout.")
    Format output = Format.text;

    boolean json() {
        return output == Format.json;
    }
}
