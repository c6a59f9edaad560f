package io.safeimport.spi;

/** A column an importer accepts in its CSV header; {@code required} columns must be present and non-blank. */
public record CsvColumn(String name, boolean required) {

    public static CsvColumn required(String name) {
        return new CsvColumn(name, true);
    }

    public static CsvColumn optional(String name) {
        return new CsvColumn(name, false);
    }
}
