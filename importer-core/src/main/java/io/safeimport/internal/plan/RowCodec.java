package io.safeimport.internal.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows and references to and from JSON, for plans and snapshots. A stored row is written with
 * every column and its id, each value in the column type's JSON form; a reference not yet resolved
 * to an id is written as {@code {"$ref": table, "key": [...]}}. Reading gives canonical Java values
 * back, so a row survives the round trip exactly.
 */
public final class RowCodec {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private RowCodec() {
    }

    /** A stored row (column to canonical value, {@code id} included) as JSON. */
    public static ObjectNode row(TableSpec spec, Map<String, Object> row) {
        ObjectNode node = JSON.objectNode();
        node.set(TableSpec.ID, value(ColumnType.ID, row.get(TableSpec.ID)));
        for (ColumnSpec c : spec.columns()) {
            node.set(c.name(), value(c.type(), row.get(c.name())));
        }
        return node;
    }

    /** Column values that may hold {@link Ref}s (a plan's key, values or changes) as JSON. */
    public static ObjectNode values(Catalog catalog, TableSpec spec, Map<String, Object> values) {
        ObjectNode node = JSON.objectNode();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            ColumnSpec c = e.getKey().equals(TableSpec.ID) ? ColumnSpec.of(TableSpec.ID, ColumnType.ID, false) : spec.requireColumn(e.getKey());
            node.set(e.getKey(), e.getValue() instanceof Ref r ? ref(catalog, r) : value(c.type(), e.getValue()));
        }
        return node;
    }

    /** The inverse of {@link #row} and {@link #values}. */
    public static Map<String, Object> read(Catalog catalog, TableSpec spec, JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ColumnSpec c = e.getKey().equals(TableSpec.ID) ? ColumnSpec.of(TableSpec.ID, ColumnType.ID, false) : spec.requireColumn(e.getKey());
            JsonNode v = e.getValue();
            if (v.isObject() && v.has("$ref")) {
                out.put(e.getKey(), readRef(catalog, v));
            } else {
                out.put(e.getKey(), v.isNull() ? null : c.type().canonical(scalar(v)));
            }
        }
        if (spec.keyed() && out.containsKey(TableSpec.ID) && spec.key().stream().allMatch(out::containsKey)) {
            // a stored row of a table with a natural primary key: its id is its key's fingerprint, remembered for SQL
            long id = RowIds.ofRow(spec, out);
            if (!Long.valueOf(id).equals(out.get(TableSpec.ID))) {
                throw new IllegalStateException(spec.name() + " row " + out.get(TableSpec.ID) + " does not match its key " + spec.key()
                        + " (fingerprint " + id + ")");
            }
        }
        return out;
    }

    public static ObjectNode ref(Catalog catalog, Ref ref) {
        TableSpec target = catalog.table(ref.table());
        ObjectNode node = JSON.objectNode();
        node.put("$ref", ref.table());
        ArrayNode key = node.putArray("key");
        for (int i = 0; i < ref.key().size(); i++) {
            Object part = ref.key().get(i);
            key.add(part instanceof Ref r ? ref(catalog, r) : value(target.requireColumn(target.key().get(i)).type(), part));
        }
        return node;
    }

    public static Ref readRef(Catalog catalog, JsonNode node) {
        String table = node.get("$ref").asText();
        TableSpec target = catalog.table(table);
        List<Object> parts = new ArrayList<>();
        JsonNode key = node.get("key");
        for (int i = 0; i < key.size(); i++) {
            JsonNode p = key.get(i);
            parts.add(p.isObject() ? readRef(catalog, p) : target.requireColumn(target.key().get(i)).type().canonical(scalar(p)));
        }
        return new Ref(table, parts);
    }

    private static JsonNode value(ColumnType type, Object value) {
        Object v = type.toJson(value);
        if (v == null) {
            return JSON.nullNode();
        }
        if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (v instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (v instanceof Integer i) {
            return JSON.numberNode(i);
        }
        return JSON.textNode(v.toString());
    }

    private static Object scalar(JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        return v.asText();
    }
}
