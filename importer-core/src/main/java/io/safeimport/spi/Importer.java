package io.safeimport.spi;

import java.util.List;

/**
 * An importer declares what it imports; the pipeline in importer-core does everything else
 * (reading, validation, planning, snapshots, writing, integrity checks, audit). Implementations
 * are discovered with {@link java.util.ServiceLoader} and must be stateless and thread-safe.
 */
public interface Importer {

    /** The command name: {@code users}, {@code org}, {@code ladders}, {@code history}. */
    String name();

    /** One line for {@code --help}. */
    String description();

    /**
     * The layout for a file with this header (header names already trimmed and lower-cased).
     * Importers that read several kinds of file detect the kind here.
     *
     * @throws io.safeimport.api.SafeImportException with {@code REJECTED} when the header fits no kind
     */
    CsvLayout layout(List<String> header, ImportOptions options);

    /** The integrity checks relevant to what this importer writes, run before and after applying. */
    List<IntegrityCheck> checks();

    /**
     * The tables this importer's rows are written to and refer to, as the pipeline sees them: the
     * reference schema for the built-in importers, the operator's own tables for declared ones. Every
     * importer of one run must hand out the same catalog.
     */
    Catalog catalog();

    /**
     * The CSV column that fills {@code table.column}, for errors about its value found after mapping
     * (a reference to a row that does not exist), or {@code null} to let the pipeline name it from
     * the column ({@code manager_id}: {@code manager_email}, as the built-ins' files do).
     */
    default String csvColumn(String table, String column) {
        return null;
    }

    /**
     * How an error names the row a reference in {@code table.column} points at ("manager" for a
     * user's {@code manager_id}), or {@code null} for the referenced table's {@link TableSpec#noun}.
     */
    default String referenceNoun(String table, String column) {
        return null;
    }

    /**
     * What an error about a reference in {@code table.column} to a row that does not exist tells
     * the operator to do, or {@code null} for the default: import the referenced rows first (with
     * the command of {@link TableSpec#createdBy}), or add them to the file.
     */
    default String missingReferenceAdvice(String table, String column) {
        return null;
    }

    /**
     * The columns of {@code table} that a <em>new</em> row must give, because the database needs a
     * value and has no default (NOT NULL, no default, not filled by the database itself). A stored
     * row may leave them blank: a blank never erases (DESIGN.md §7). The pipeline refuses a new row
     * that leaves one blank with a {@code required} error naming its CSV column ({@link #csvColumn}).
     * The built-in importers require such columns in every row themselves, so they name none.
     */
    default List<String> requiredInNewRows(String table) {
        return List.of();
    }

    /** A self-reference the importer's rows must not make circular, or {@code null} for none. */
    default AcyclicReference acyclic() {
        return null;
    }
}
