package io.safeimport.internal.config;

import java.util.List;
import java.util.Map;

/**
 * A node of a YAML document with the 1-based line and column where it starts, so that every
 * problem of {@code safeimport.yml} can name {@code file:line:column}. Jackson's own tree
 * ({@code JsonNode}) forgets positions, hence this one.
 */
sealed interface YamlNode {
    int line();

    int column();

    /** What the node is, in words, for messages ("a list", "a mapping", "the text 'x'"). */
    String describe();

    /** A scalar: {@code text} is {@code null} for YAML's null ({@code ~} or nothing); {@code bool} tells a YAML boolean. */
    record Scalar(String text, boolean bool, int line, int column) implements YamlNode {
        @Override
        public String describe() {
            return text == null ? "nothing" : "'" + text + "'";
        }
    }

    /** A list, in order. */
    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A mapping, in file order; each key is a scalar's text. */
    record Mapping(Map<String, Entry> entries, int line, int column) implements YamlNode {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping, where the key is written, and its value. */
    record Entry(String key, int line, int column, YamlNode value) {
    }
}
