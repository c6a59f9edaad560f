package io.safeimport.internal.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvMalformedLineException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the opencsv 5.9 behaviour that made {@link CsvSource} its own state machine (see its
 * Javadoc). If an opencsv upgrade makes one of these fail, the choice is worth revisiting.
 */
class OpenCsvLimitationTest {

    @Test
    void withoutKeepCarriageReturnCrlfInsideQuotesBecomesLf() throws Exception {
        assertEquals(List.of(List.of("x\ny", "2"), List.of("C", "D")), read("\"x\r\ny\",2\r\nC,D\r\n", false));
    }

    @Test
    void withKeepCarriageReturnLoneCrNoLongerEndsARecord() throws Exception {
        assertEquals(List.of(List.of("A", "B\rC", "D")), read("A,B\rC,D\r", true));
    }

    @Test
    void withKeepCarriageReturnAnEmptyLineSilentlyEndsTheInput() throws Exception {
        assertEquals(List.of(List.of("A")), read("A\n\nB\nC\n", true));
    }

    @Test
    void withKeepCarriageReturnAnEmptyLineInsideQuotesIsAnUnterminatedQuote() {
        assertThrows(CsvMalformedLineException.class, () -> read("h\n\"x\n\ny\",2\nC\n", true));
    }

    private static List<List<String>> read(String input, boolean keepCarriageReturn) throws Exception {
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(input))
                .withCSVParser(new RFC4180ParserBuilder().build())
                .withKeepCarriageReturn(keepCarriageReturn)
                .build()) {
            return reader.readAll().stream().map(Arrays::asList).toList();
        }
    }
}
