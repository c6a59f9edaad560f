package io.safeimport.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.safeimport.internal.config.YamlNode.Entry;
import io.safeimport.internal.config.YamlNode.Mapping;
import io.safeimport.internal.config.YamlNode.Scalar;
import io.safeimport.internal.config.YamlNode.Sequence;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into {@link YamlNode}s with Jackson's YAML module, token by token so
 * that each node keeps its position. A key given twice in one mapping is reported (the first is
 * kept), not silently replaced as a map would.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final JsonParser parser;
    private final Problems problems;

    private YamlTree(JsonParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The document read from {@code in}, or {@code null} when it is empty; duplicate keys are added to
     * {@code problems}.
     *
     * @throws JsonProcessingException when the text is not YAML (its location says where)
     * @throws IOException             when it cannot be read
     */
    static YamlNode read(Reader in, Problems problems) throws IOException {
        try (JsonParser p = YAML.createParser(in)) {
            JsonToken first = p.nextToken();
            return first == null ? null : new YamlTree(p, problems).node();
        }
    }

    /** The node whose first token is the parser's current one. */
    private YamlNode node() throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(line, column);
            case START_ARRAY -> sequence(line, column);
            case VALUE_NULL -> new Scalar(null, false, line, column);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(parser.getText(), true, line, column);
            default -> new Scalar(parser.getText(), false, line, column);
        };
    }

    private Mapping mapping(int line, int column) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            JsonLocation at = parser.currentTokenLocation();
            String key = parser.currentName();
            parser.nextToken();
            YamlNode value = node();
            if (entries.containsKey(key)) {
                problems.add(at.getLineNr(), at.getColumnNr(), "duplicate key '" + key + "' (first given on line "
                        + entries.get(key).line() + "): give each key once");
            } else {
                entries.put(key, new Entry(key, at.getLineNr(), at.getColumnNr(), value));
            }
        }
        return new Mapping(entries, line, column);
    }

    private Sequence sequence(int line, int column) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(node());
        }
        return new Sequence(items, line, column);
    }
}
