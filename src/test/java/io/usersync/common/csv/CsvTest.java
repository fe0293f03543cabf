package io.usersync.common.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.usersync.common.error.DomainException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The one CSV dialect: exact round trips, quoted formulas, and line numbers on import. */
class CsvTest {

    static final List<String> HOSTILE = List.of("=1+2@fabrikam.example", "+plus@contoso.example",
            "-dash@contoso.example", "@at", "=HYPERLINK(\"http://evil.example\",\"x\")", "\tTAB", "\rCR",
            "＝full-width", "plain", "with,comma", "say \"hi\"", "two\r\nlines", "lf\nonly", " lead", "trail ",
            "\u3000ideographic space", "", "'apostrophe", "semi;colon", "#hash", "\uFEFFbom-inside",
            "nul\u0000char", "😀 emoji");

    @Test
    void hostileValuesAreQuotedAndReadBackUnchanged() {
        Csv.Table table = Csv.table("entry", "note");
        for (String value : HOSTILE) {
            table.row(value, value);
        }
        String csv = table.toString();
        List<Csv.Line> lines = Csv.read(csv, "csv");
        assertEquals(HOSTILE.size() + 1, lines.size());
        assertEquals(List.of("entry", "note"), lines.getFirst().fields());
        for (int i = 0; i < HOSTILE.size(); i++) {
            assertEquals(List.of(HOSTILE.get(i), HOSTILE.get(i)), lines.get(i + 1).fields(), "row " + i);
        }
        assertTrue(csv.contains("\r\n\"=1+2@fabrikam.example\",\"=1+2@fabrikam.example\"\r\n"), csv);
        assertTrue(csv.contains("\r\n\"+plus@contoso.example\",\"+plus@contoso.example\"\r\n"),
                "quoted, never rewritten with an apostrophe: " + csv);
    }

    @Test
    void writesRfc4180() {
        String csv = Csv.table("a", "b").row("plain", "with,comma").row("say \"hi\"", "two\r\nlines")
                .row("=SUM(A1:A9)", "+1").row("-2", "@cmd").row(null, 42).toString();
        assertEquals("a,b\r\n"
                + "plain,\"with,comma\"\r\n"
                + "\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
                + "\"=SUM(A1:A9)\",\"+1\"\r\n"
                + "\"-2\",\"@cmd\"\r\n"
                + "\"\",42\r\n", csv);
        assertThrows(IllegalArgumentException.class, () -> Csv.table("a", "b").row("only one"));
    }

    @Test
    void readsWhatSpreadsheetsWriteWithTheLineOfEachRecord() {
        String text = "\uFEFFemail\r\nBob@Example.com,Bob\r\n\r\n\"multi\nline\",x\r\n  \"spaced\"  ,y\n\"a\"\"b\"\rlast";
        List<Csv.Line> lines = Csv.read(text, "csv");
        assertEquals(List.of(1, 2, 3, 4, 6, 7, 8), lines.stream().map(Csv.Line::number).toList());
        assertEquals("email", lines.get(0).first());
        assertEquals(List.of("Bob@Example.com", "Bob"), lines.get(1).fields());
        assertTrue(lines.get(2).isBlank());
        assertEquals("multi\nline", lines.get(3).first());
        assertEquals("spaced", lines.get(4).first());
        assertEquals("a\"b", lines.get(5).first());
        assertEquals("last", lines.get(6).first());
    }

    @Test
    void readsTheFirstColumnOfWhatDenyListsUsedToBeImportedFrom() {
        assertEquals("a@b.io", Csv.read("a@b.io,Alice", "csv").getFirst().first());
        assertEquals("a@b.io", Csv.read("\"a@b.io\",\"x\"", "csv").getFirst().first());
        assertEquals("we\"ird@b.io", Csv.read("\"we\"\"ird@b.io\"", "csv").getFirst().first());
        assertEquals("a@b.io", Csv.read("  a@b.io ; x", "csv").getFirst().first());
    }

    @Test
    void semicolonsAndTabsAreDelimitersWhenTheFirstLineHasNoComma() {
        assertEquals(List.of("a@b.io", "x"), Csv.read("email;name\na@b.io;x\n", "csv").get(1).fields());
        assertEquals(List.of("a@b.io", "x"), Csv.read("email\tname\na@b.io\tx\n", "csv").get(1).fields());
        assertEquals(List.of("a@b.io;x"), Csv.read("email\na@b.io;x\n", "csv").get(1).fields());
    }

    @Test
    void anUnclosedQuoteRefusesTheTextNamingItsLine() {
        DomainException e = assertThrows(DomainException.class,
                () -> Csv.read("entry\r\nok@example.com\r\n\"open@example.com\r\nnext@example.com\r\n", "csv"));
        assertEquals("csv", e.fields().getFirst().field());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("not closed"), e.getMessage());
    }

    @Test
    void textAfterAClosingQuoteRefusesTheTextNamingItsLine() {
        DomainException e = assertThrows(DomainException.class,
                () -> Csv.read("entry\nok@example.com\n\n\"a\"b@example.com\n", "entries"));
        assertEquals("entries", e.fields().getFirst().field());
        assertTrue(e.getMessage().contains("line 4: text after the closing quote"), e.getMessage());
    }

    @Test
    void emptyTextHasOneBlankLine() {
        assertTrue(Csv.read("", "csv").stream().allMatch(Csv.Line::isBlank));
        assertTrue(Csv.read(null, "csv").stream().allMatch(Csv.Line::isBlank));
    }

    @Property(tries = 500)
    void everyValueReadsBackExactly(@ForAll("rows") List<List<String>> rows) {
        Csv.Table table = Csv.table("a", "b", "c");
        rows.forEach(r -> table.row(r.toArray()));
        List<Csv.Line> read = Csv.read(table.toString(), "csv");
        List<List<String>> values = new ArrayList<>();
        read.stream().skip(1).forEach(l -> values.add(l.fields()));
        assertEquals(rows, values);
    }

    @Property(tries = 500)
    void noFormulaCellIsEverWrittenUnquoted(@ForAll("cells") String cell) {
        String written = Csv.table("h").row(cell).toString().substring("h\r\n".length());
        if (Csv.looksLikeFormula(cell)) {
            assertEquals('"', written.charAt(0), "formula-like cell written bare: " + written);
        }
    }

    @Provide
    Arbitrary<String> cells() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withChars("=+-@\t\r\n\",; \u3000a\uFF1D\uFF20'").ofMaxLength(6),
                Arbitraries.of(HOSTILE));
    }

    @Provide
    Arbitrary<List<List<String>>> rows() {
        return cells().list().ofSize(3).list().ofMaxSize(8);
    }
}
