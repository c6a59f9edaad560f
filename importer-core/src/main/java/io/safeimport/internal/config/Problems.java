package io.safeimport.internal.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found while reading one config file, each one line naming {@code file:line:column}
 * and what to do, collected so that all of them are reported at once, in file order.
 */
final class Problems {
    private record At(int line, int column, String text) {
    }

    private final String file;
    private final List<At> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(int line, int column, String message) {
        found.add(new At(line, column, file + ":" + line + ":" + column + ": " + message));
    }

    void add(YamlNode at, String message) {
        add(at.line(), at.column(), message);
    }

    void add(YamlNode.Entry at, String message) {
        add(at.line(), at.column(), message);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    List<String> lines() {
        return found.stream().sorted(Comparator.comparingInt(At::line).thenComparingInt(At::column)).map(At::text).toList();
    }
}
