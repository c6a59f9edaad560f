package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.safeimport.spi.Ref;
import io.safeimport.spi.ReferenceSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan line names a row by its key parts in the order of the table's key columns, whatever order the key map has. */
class PlanKeyDisplayTest {
    @Test
    void keyPartsFollowTheTablesKeyColumnsNotTheMapsOrder() {
        Map<String, Object> backwards = new LinkedHashMap<>();
        backwards.put("aspect", "craft");
        backwards.put("ladder_id", Ref.to("ladder", "ENG"));
        assertEquals("ENG/craft", Planner.display(ReferenceSchema.table("ladder_aspect"), backwards));

        Map<String, Object> level = new LinkedHashMap<>();
        level.put("level", 3);
        level.put("ladder_id", Ref.to("ladder", "MGT"));
        assertEquals("MGT/3", Planner.display(ReferenceSchema.table("ladder_level"), level));
    }
}
