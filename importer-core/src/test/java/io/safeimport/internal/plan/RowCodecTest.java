package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plans and snapshots hold rows as JSON: every column in its type's JSON form, references not yet
 * resolved as {@code {"$ref": ..., "key": [...]}}, and reading the JSON back gives the same
 * canonical values, so a restored row is the row that was saved.
 */
class RowCodecTest {

    private static final TableSpec LEVEL = ReferenceSchema.table("ladder_level");
    private static final TableSpec USER = ReferenceSchema.table("app_user");
    private static final TableSpec EVENT = ReferenceSchema.table("timeline_event");

    private static Map<String, Object> storedUser() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("email", "ana@example.com");
        row.put("first_name", "Ana");
        row.put("last_name", null);
        row.put("title", "Engineer");
        row.put("team_id", 3L);
        row.put("chapter_id", null);
        row.put("level_id", 12L);
        row.put("manager_id", 2L);
        row.put("hired_on", LocalDate.of(2021, 4, 1));
        row.put("active", false);
        return row;
    }

    @Test
    void aStoredRowIsWrittenWithItsIdAndEveryColumnInItsJsonForm() {
        ObjectNode json = RowCodec.row(USER, storedUser());

        assertEquals("{\"id\":7,\"email\":\"ana@example.com\",\"first_name\":\"Ana\",\"last_name\":null,"
                + "\"title\":\"Engineer\",\"team_id\":3,\"chapter_id\":null,\"level_id\":12,\"manager_id\":2,"
                + "\"hired_on\":\"2021-04-01\",\"active\":false}", json.toString());
    }

    @Test
    void aColumnMissingFromTheRowIsWrittenAsNull() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("ladder_id", 4L);
        row.put("level", 3);

        assertEquals("{\"id\":1,\"ladder_id\":4,\"level\":3,\"title\":null,\"description\":null,"
                + "\"pay_band_min\":null,\"pay_band_max\":null}", RowCodec.row(LEVEL, row).toString());
    }

    @Test
    void numbersAndDecimalsKeepTheirJsonTypesAndReadBackCanonical() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1L);
        row.put("ladder_id", 4L);
        row.put("level", 3L);
        row.put("title", "Senior");
        row.put("description", null);
        row.put("pay_band_min", new BigDecimal("85000.50"));
        row.put("pay_band_max", new BigDecimal("120000"));
        ObjectNode json = RowCodec.row(LEVEL, row);

        assertEquals("{\"id\":1,\"ladder_id\":4,\"level\":3,\"title\":\"Senior\",\"description\":null,"
                + "\"pay_band_min\":\"85000.50\",\"pay_band_max\":\"120000\"}", json.toString(),
                "an integer as a number, a decimal as text so no digit is lost");
        Map<String, Object> back = RowCodec.read(Catalog.reference(), LEVEL, json);
        assertEquals(Integer.valueOf(3), back.get("level"), "an INTEGER column reads back as Integer");
        assertEquals(Long.valueOf(4), back.get("ladder_id"), "an id reads back as Long");
        assertEquals(new BigDecimal("85000.50"), back.get("pay_band_min"), "scale kept");
        assertNull(back.get("description"));
    }

    @Test
    void aStoredRowSurvivesTheRoundTripThroughJsonText() throws Exception {
        Map<String, Object> row = storedUser();
        String text = RowCodec.row(USER, row).toString();

        Map<String, Object> back = RowCodec.read(Catalog.reference(), USER, new ObjectMapper().readTree(text));

        assertEquals(row, back);
        assertEquals(row.keySet().stream().toList(), back.keySet().stream().toList(), "columns in the order written");
        assertInstanceOf(Long.class, back.get("id"));
        assertInstanceOf(LocalDate.class, back.get("hired_on"));
        assertInstanceOf(Boolean.class, back.get("active"));
    }

    @Test
    void valuesWriteUnresolvedReferencesByTheirNaturalKey() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("user_id", Ref.to("app_user", "ana@example.com"));
        values.put("event_type", "promotion");
        values.put("effective_date", LocalDate.of(2024, 3, 1));
        values.put("level_id", Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3));
        values.put("team_id", 9L);
        values.put("salary", new BigDecimal("90000.00"));

        ObjectNode json = RowCodec.values(Catalog.reference(), EVENT, values);

        assertEquals("{\"user_id\":{\"$ref\":\"app_user\",\"key\":[\"ana@example.com\"]},"
                + "\"event_type\":\"promotion\",\"effective_date\":\"2024-03-01\","
                + "\"level_id\":{\"$ref\":\"ladder_level\",\"key\":[{\"$ref\":\"ladder\",\"key\":[\"ENG\"]},3]},"
                + "\"team_id\":9,\"salary\":\"90000.00\"}", json.toString());
        assertEquals(values, RowCodec.read(Catalog.reference(), EVENT, json));
    }

    @Test
    void valuesMayHoldTheRowsId() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 5);
        values.put("email", "bo@example.com");

        ObjectNode json = RowCodec.values(Catalog.reference(), USER, values);

        assertEquals("{\"id\":5,\"email\":\"bo@example.com\"}", json.toString());
        assertEquals(Map.of("id", 5L, "email", "bo@example.com"), RowCodec.read(Catalog.reference(), USER, json));
    }

    @Test
    void aNestedReferenceReadsBackWithCanonicalKeyParts() throws Exception {
        Ref event = Ref.to("timeline_event", Ref.to("app_user", "ana@example.com"), "hire", LocalDate.of(2020, 1, 6));
        Ref level = Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3);

        JsonNode eventJson = new ObjectMapper().readTree(RowCodec.ref(Catalog.reference(), event).toString());
        JsonNode levelJson = new ObjectMapper().readTree(RowCodec.ref(Catalog.reference(), level).toString());

        assertEquals("{\"$ref\":\"timeline_event\",\"key\":[{\"$ref\":\"app_user\",\"key\":[\"ana@example.com\"]},"
                + "\"hire\",\"2020-01-06\"]}", eventJson.toString());
        assertEquals(event, RowCodec.readRef(Catalog.reference(), eventJson));
        assertEquals(level, RowCodec.readRef(Catalog.reference(), levelJson), "the level reads back as Integer 3, not Long 3");
        assertInstanceOf(Integer.class, RowCodec.readRef(Catalog.reference(), levelJson).key().get(1));
    }

    @Test
    void readBringsJsonScalarsToTheColumnsCanonicalForm() throws Exception {
        JsonNode json = new ObjectMapper().readTree("{\"id\":\"8\",\"email\":\"x@y.org\",\"active\":\"true\","
                + "\"hired_on\":\"2022-02-02\",\"first_name\":42,\"title\":true}");

        Map<String, Object> row = RowCodec.read(Catalog.reference(), USER, json);

        assertEquals(8L, row.get("id"));
        assertEquals(Boolean.TRUE, row.get("active"));
        assertEquals(LocalDate.of(2022, 2, 2), row.get("hired_on"));
        assertEquals("42", row.get("first_name"), "a number in a text column reads as its text");
        assertEquals("true", row.get("title"));
    }

    @Test
    void aColumnTheTableDoesNotHaveIsRefusedBothWays() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> RowCodec.values(Catalog.reference(), USER, Map.of("nickname", "Al")));
        assertThrows(IllegalArgumentException.class,
                () -> RowCodec.read(Catalog.reference(), USER, new ObjectMapper().readTree("{\"nickname\":\"Al\"}")));
    }
}
