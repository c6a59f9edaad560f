package io.safeimport.spi;

import java.util.Locale;

/** How serious an integrity finding is: an {@code ERROR} an import introduced fails it; a {@code WARNING} is reported. */
public enum Severity {
    ERROR, WARNING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
