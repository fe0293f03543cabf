package io.usersync.common.csv;

import io.usersync.common.error.DomainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The service's one CSV dialect, for every export and every import, on Apache Commons CSV.
 *
 * <h2>Writing</h2>
 * RFC 4180: UTF-8, a header row, CRLF after every row, a field quoted when it contains a comma, a double quote
 * (doubled inside), CR or LF, starts or ends with white space, or starts with a character a spreadsheet could
 * read as the start of a formula. Every value reads back exactly as written.
 *
 * <h2>Formula injection: quote, never rewrite</h2>
 * A value is written exactly as stored, so every program that reads the file gets what the service holds.
 * Cells starting with {@code = + - @}, TAB or CR (the OWASP "CSV injection" triggers; their full-width forms
 * {@code ＝ ＋ － ＠} too; leading spaces are quoted anyway) are always enclosed in double quotes. The service does
 * <em>not</em> prefix them with an apostrophe or a space, because that changes the data for everyone who is not
 * a spreadsheet: {@code +plus@example.com}, {@code -dash@example.com} and {@code =eq@example.com} are valid,
 * distinct email addresses (RFC 5322 {@code atext}); an exported deny list must import back to the same list;
 * reports are read by scripts and billing tools. What quoting does and does not do: CSV readers and spreadsheet
 * import dialogs that treat quoted fields as text get plain text; a spreadsheet that evaluates formulas in any
 * field of a file it opens directly may still evaluate such a cell. Open exports through the spreadsheet's
 * text/CSV import with the columns set to text, never by double-click, when a file can hold values written by
 * someone else (names and addresses come from tenants and their directories).
 *
 * <h2>Reading</h2>
 * Lenient in what a person's spreadsheet produces, exact about where a problem is: a UTF-8 byte order mark is
 * skipped; the delimiter is a comma, or a semicolon or a TAB when the first line has one of those and no comma
 * (spreadsheets in many European locales write semicolons); CRLF, LF or CR line ends; spaces around fields
 * ignored; quoted fields may span lines. Every record carries its 1-based line number in the text (where it
 * starts), blank lines included, so callers can name the line of an invalid value. Text that is not CSV — a
 * quoted field that never closes, or text after a closing quote ({@code "a"b}) — refuses the whole text
 * ({@link DomainException}, 400) naming the line: guessing would silently change or swallow values (an open quote
 * takes every following line into one value).
 */
public final class Csv {

    /** The media type of exports. */
    public static final String MEDIA_TYPE = "text/csv; charset=UTF-8";

    /** First characters that make a cell look like a formula to a spreadsheet. */
    static final String FORMULA_TRIGGERS = "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20";

    private static final CSVFormat MINIMAL = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();
    private static final CSVFormat QUOTED = MINIMAL.builder().setQuoteMode(QuoteMode.ALL).get();

    private Csv() {
    }

    // ---------------------------------------------------------------- writing

    /** A CSV document under construction: the header, then {@link #row}s. */
    public static Table table(String... header) {
        return new Table(header);
    }

    /** Rows of one document; cells are written with {@link Object#toString()}, null as an empty field. */
    public static final class Table {

        private final StringBuilder out = new StringBuilder();
        private final int columns;

        private Table(String... header) {
            if (header.length == 0) {
                throw new IllegalArgumentException("a CSV table needs a header");
            }
            columns = header.length;
            row((Object[]) header);
        }

        /** Appends one row; it must have as many cells as the header. */
        public Table row(Object... cells) {
            if (cells.length != columns) {
                throw new IllegalArgumentException("row of " + cells.length + " cells under a header of " + columns
                        + ": " + Arrays.toString(cells));
            }
            try {
                for (int i = 0; i < cells.length; i++) {
                    String value = cells[i] == null ? "" : cells[i].toString();
                    (alwaysQuoted(value) ? QUOTED : MINIMAL).print(value, out, i == 0);
                }
                MINIMAL.println(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringBuilder does not fail
            }
            return this;
        }

        /** The document. */
        @Override
        public String toString() {
            return out.toString();
        }
    }

    /** Whether a spreadsheet could take the cell for a formula (so it is always quoted). */
    public static boolean looksLikeFormula(String value) {
        return !value.isEmpty() && FORMULA_TRIGGERS.indexOf(value.charAt(0)) >= 0;
    }

    /** Formula-like cells, and cells with white space at either end (which readers trim unless quoted). */
    static boolean alwaysQuoted(String value) {
        return looksLikeFormula(value) || !value.isEmpty() && (isSpace(value.charAt(0))
                || isSpace(value.charAt(value.length() - 1)));
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    // ---------------------------------------------------------------- reading

    /** One record of an imported text: its first line number (1-based) and its fields (at least one). */
    public record Line(int number, List<String> fields) {

        public Line {
            fields = List.copyOf(fields);
        }

        /** The first field ("" on a blank line). */
        public String first() {
            return fields.getFirst();
        }

        /** Whether the line holds nothing but empty fields. */
        public boolean isBlank() {
            return fields.stream().allMatch(String::isBlank);
        }
    }

    /**
     * Every record of {@code text} in order, blank lines included (as one empty field).
     *
     * @throws DomainException (400, field {@code field}) naming the line of a quoted field that never closes
     */
    public static List<Line> read(String text, String field) {
        String body = text == null ? "" : text.startsWith("\uFEFF") ? text.substring(1) : text;
        LineIndex lines = new LineIndex(body);
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter(body)).setIgnoreEmptyLines(false)
                .setIgnoreSurroundingSpaces(true).get();
        List<Line> records = new ArrayList<>();
        long lastLineRead = 0;
        try (CSVParser parser = CSVParser.parse(body, format)) {
            for (CSVRecord record : parser) {
                records.add(new Line(lines.lineAt(record.getCharacterPosition()), record.toList()));
                lastLineRead = parser.getCurrentLineNumber();
            }
        } catch (UncheckedIOException | IOException e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            long line = lastLineRead + 1;
            String message = String.valueOf(cause.getMessage());
            String why = !(cause instanceof CSVException) ? "not readable as CSV (" + message + ")"
                    : message.contains("EOF") ? "a quoted field is not closed"
                            + " (a double quote inside a field is written as two)"
                    : message.contains("encapsulated token") ? "text after the closing quote of a quoted field"
                            + " (a double quote inside a field is written as two)"
                    : "not readable as CSV (" + message + ")";
            throw DomainException.invalidField(field, "line " + line + ": " + why);
        }
        return records;
    }

    /** Comma, unless the first line has semicolons or TABs and no comma. */
    static char delimiter(String text) {
        int end = 0;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        String first = text.substring(0, end);
        if (first.indexOf(',') >= 0) {
            return ',';
        }
        if (first.indexOf(';') >= 0) {
            return ';';
        }
        return first.indexOf('\t') >= 0 ? '\t' : ',';
    }

    /** Character offset → 1-based line number; CRLF, LF and a lone CR each end a line. */
    private static final class LineIndex {

        private final int[] starts;

        LineIndex(String text) {
            List<Integer> found = new ArrayList<>();
            found.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                    found.add(i + 1);
                }
            }
            starts = found.stream().mapToInt(Integer::intValue).toArray();
        }

        int lineAt(long offset) {
            int index = Arrays.binarySearch(starts, (int) offset);
            return (index >= 0 ? index : -index - 2) + 1;
        }
    }
}
