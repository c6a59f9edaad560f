package io.safeimport.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.Ref;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Natural keys match case- and blank-insensitively (DESIGN.md §4): the run's own keys ({@link Keys#of}),
 * their fingerprints ({@link Keys#hash}) and the stored rows' key tuples ({@link RowStore#tuple}) all fold
 * the same way, and keys that differ in anything else stay apart.
 */
class KeysTest {

    /** Each pair is the same key as an operator writes it. */
    @ParameterizedTest(name = "[{0}] = [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "Foo@X.com |foo@x.com",
        "  FOO@X.COM|foo@x.com",
        "Payments  Team|payments team",
        " Payments  Team |payments team",
        "Payments\tTeam|payments team",
        "PAYMENTS \t TEAM|Payments Team",
        "Ann.Lee@Example.COM|ann.lee@example.com",
        "Müller@Example.com|müller@example.com",
    })
    void keysThatDifferOnlyInCaseAndBlanksAreTheSameKey(String written, String other) {
        assertEquals(Keys.part(other), Keys.part(written));
        assertEquals(Keys.of("app_user", List.of(other)), Keys.of("app_user", List.of(written)));
        assertEquals(Keys.hash(Keys.of("app_user", List.of(other))), Keys.hash(Keys.of("app_user", List.of(written))));
        assertEquals(Keys.of(Ref.to("app_user", other)), Keys.of(Ref.to("app_user", written)));
        assertEquals(RowStore.tuple(List.of(other)), RowStore.tuple(List.of(written)));
    }

    @Test
    void aPartIsTrimmedCollapsedAndLowerCased() {
        assertEquals("foo@x.com", Keys.part("Foo@X.com "));
        assertEquals("payments team", Keys.part(" Payments \t\n Team "));
        assertEquals("payments team", Keys.part("payments team"), "a key already folded stays as it is");
        assertEquals("a b c", Keys.part("a  b   c"));
        assertEquals("", Keys.part(null));
        assertEquals("", Keys.part("   "));
        assertEquals("3", Keys.part(3));
        assertEquals("2024-03-01", Keys.part(LocalDate.of(2024, 3, 1)));
        assertEquals("ladder(eng)", Keys.part(Ref.to("ladder", " ENG")));
    }

    @Test
    void aKeyWithAReferenceFoldsTheReferencedKeyToo() {
        LocalDate date = LocalDate.of(2024, 3, 1);
        Ref written = Ref.to("timeline_event", Ref.to("app_user", " Foo@X.com"), "promotion", date);
        Ref other = Ref.to("timeline_event", Ref.to("app_user", "foo@x.com"), "promotion", date);

        assertEquals("timeline_event(app_user(foo@x.com)|promotion|2024-03-01)", Keys.of(written));
        assertEquals(Keys.of(other), Keys.of(written));
        assertEquals(Keys.of(Ref.to("compensation_snapshot", other)), Keys.of(Ref.to("compensation_snapshot", written)));
        assertEquals("ladder_level(ladder(eng)|3)", Keys.of(Ref.to("ladder_level", Ref.to("ladder", "Eng "), 3)));
    }

    @Test
    void aTargetRowsKeyMapIsReadInTheTablesKeyOrder() {
        Map<String, Object> backwards = new LinkedHashMap<>();
        backwards.put("aspect", "Craft ");
        backwards.put("ladder_id", Ref.to("ladder", "ENG"));

        assertEquals("ladder_aspect(ladder(eng)|craft)", Keys.of(ReferenceSchema.table("ladder_aspect"), backwards));
        assertEquals(Keys.of(Ref.to("ladder_aspect", Ref.to("ladder", "eng"), "craft")), Keys.of(ReferenceSchema.table("ladder_aspect"), backwards));
    }

    @Test
    void storedTuplesFoldTheirTextPartsBesideIds() {
        assertEquals("5|craft", RowStore.tuple(List.of(5L, " Craft")));
        assertEquals(RowStore.tuple(Arrays.asList(9L, "promotion", LocalDate.of(2024, 3, 1))),
                RowStore.tuple(Arrays.asList(9L, "Promotion ", LocalDate.of(2024, 3, 1))));
    }

    /** Pairs of keys that must stay apart: each names a different row. */
    static Stream<Arguments> differentKeys() {
        return Stream.of(
                Arguments.of(List.of("paymentsteam"), List.of("payments team")),
                Arguments.of(List.of("ab@x.com"), List.of("a.b@x.com")),
                Arguments.of(List.of("ann@example.com"), List.of("ann@example.co")),
                Arguments.of(List.of("team"), List.of("team2")),
                Arguments.of(List.of("straße"), List.of("strasse")),
                Arguments.of(List.of("a-b"), List.of("a b")),
                Arguments.of(List.of("a|b", "c"), List.of("a|b c")),
                // a value's own separator and parentheses are escaped: these were once the same key
                Arguments.of(List.of(Ref.to("ladder", "a"), "b)|c"), List.of(Ref.to("ladder", "a)|b"), "c")),
                Arguments.of(List.of("a", "b"), List.of("a|b")),
                Arguments.of(List.of("ladder(eng)"), List.of(Ref.to("ladder", "eng"))),
                Arguments.of(List.of("a\\", "b"), List.of("a\\|b")),
                Arguments.of(List.of(Ref.to("ladder", "ENG"), 3), List.of(Ref.to("ladder", "ENG"), 30)),
                Arguments.of(List.of(Ref.to("ladder", "ENG"), 3), List.of(Ref.to("ladder", "MGT"), 3)),
                Arguments.of(List.of(Ref.to("ladder", "ENG"), "craft"), List.of(Ref.to("ladder", "ENG craft"), "")),
                Arguments.of(List.of(Ref.to("app_user", "a@x.com"), "hire", LocalDate.of(2024, 3, 1)),
                        List.of(Ref.to("app_user", "a@x.com"), "hire", LocalDate.of(2024, 3, 2))),
                Arguments.of(List.of(Ref.to("app_user", "a@x.com"), "hire", LocalDate.of(2024, 3, 1)),
                        List.of(Ref.to("app_user", "a@x.com"), "departure", LocalDate.of(2024, 3, 1))));
    }

    @ParameterizedTest(name = "{0} != {1}")
    @MethodSource("differentKeys")
    void keysThatDifferInMoreThanCaseAndBlanksStayApart(List<Object> one, List<Object> other) {
        assertNotEquals(Keys.of("t", one), Keys.of("t", other));
        assertNotEquals(Keys.hash(Keys.of("t", one)), Keys.hash(Keys.of("t", other)));
    }

    @Test
    void theSameKeyInAnotherTableIsAnotherRow() {
        assertNotEquals(Keys.of("team", List.of("Platform")), Keys.of("tribe", List.of("Platform")));
        assertNotEquals(Keys.of(Ref.to("team", "Platform")), Keys.of(Ref.to("chapter", "Platform")));
    }

    @Test
    void storedTuplesOfDifferentIdsOrTextStayApart() {
        assertNotEquals(RowStore.tuple(List.of(5L, "craft")), RowStore.tuple(List.of(6L, "craft")));
        assertNotEquals(RowStore.tuple(List.of(5L, "craft")), RowStore.tuple(List.of(5L, "crafts")));
        assertNotEquals(RowStore.tuple(List.of(5L, "craft")), RowStore.tuple(List.of("5craft")));
        assertNotEquals(RowStore.tuple(List.of(51L, "craft")), RowStore.tuple(List.of(5L, "1craft")));
    }

    @Test
    void aFingerprintIsNeverZeroWhichMarksNoEdge() {
        for (String key : List.of("", "app_user()", "team(platform)", "app_user(foo@x.com)")) {
            assertNotEquals(0L, Keys.hash(key));
        }
    }

    /**
     * The fingerprint is FNV-1a 64 over the key's chars, spread by MurmurHash3's 64-bit finaliser;
     * the FNV values below are the published FNV-1a test vectors (ASCII, so each char is one byte).
     */
    @Test
    void aFingerprintIsFnv1aOfTheKeySpreadByTheMurmur3Finaliser() {
        assertEquals(fmix64(0xcbf29ce484222325L), Keys.hash(""));
        assertEquals(fmix64(0xaf63dc4c8601ec8cL), Keys.hash("a"));
        assertEquals(fmix64(0x85944171f73967e8L), Keys.hash("foobar"));
    }

    /** MurmurHash3's {@code fmix64}, as published. */
    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
