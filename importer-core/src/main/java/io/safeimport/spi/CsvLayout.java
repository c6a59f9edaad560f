package io.safeimport.spi;

import java.util.List;

/**
 * How an importer reads one particular file.
 *
 * @param kind    what the file holds ("users", "teams", ...), shown in output
 * @param columns the accepted header columns
 * @param tables  the tables its rows may write, in dependency order (parents first)
 * @param mapper  turns each row into target rows
 */
public record CsvLayout(String kind, List<CsvColumn> columns, List<String> tables, RowMapper mapper) {
}
