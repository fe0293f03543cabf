package io.usersync.billing.internal.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

    @Test
    void quotesWhatNeedsItAndNeutralisesFormulas() {
        String csv = new CsvWriter("a", "b").row("plain", "with,comma").row("say \"hi\"", "two\r\nlines")
                .row("=SUM(A1:A9)", "+1").row("-2", "@cmd").row(null, 42).toString();
        assertEquals("a,b\r\n"
                + "plain,\"with,comma\"\r\n"
                + "\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
                + "'=SUM(A1:A9),'+1\r\n"
                + "'-2,'@cmd\r\n"
                + ",42\r\n", csv);
    }

    @Property(tries = 1000)
    void everyCellReadsBackAndNoneCanRunAsAFormula(@ForAll @Size(min = 1, max = 6) List<String> cells) {
        String csv = new CsvWriter(cells.toArray(String[]::new)).toString();
        List<String> parsed = parseRow(csv);
        assertEquals(cells.size(), parsed.size());
        for (int i = 0; i < cells.size(); i++) {
            String original = cells.get(i);
            String read = parsed.get(i);
            assertFalse(!read.isEmpty() && "=+-@\t\r".indexOf(read.charAt(0)) >= 0, "formula cell: " + read);
            String expected = !original.isEmpty() && "=+-@\t\r".indexOf(original.charAt(0)) >= 0
                    ? "'" + original : original;
            assertEquals(expected, read);
        }
    }

    /** A strict RFC 4180 reader for one CRLF-terminated record. */
    static List<String> parseRow(String csv) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        boolean quoted = false;
        while (true) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i += 2;
                } else if (c == '"') {
                    quoted = false;
                    i++;
                } else {
                    cell.append(c);
                    i++;
                }
            } else if (c == '"' && cell.isEmpty()) {
                quoted = true;
                i++;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                i++;
            } else if (c == '\r' && csv.charAt(i + 1) == '\n') {
                cells.add(cell.toString());
                assertEquals(csv.length(), i + 2, "exactly one record");
                return cells;
            } else {
                if (c == '"' || c == '\r' || c == '\n') {
                    throw new AssertionError("unquoted special character in " + csv);
                }
                cell.append(c);
                i++;
            }
        }
    }
}
