package io.usersync.billing.internal.licensing;

/**
 * Builds RFC 4180 CSV: a header row, CRLF after every row, fields quoted when they contain a comma, a double
 * quote, CR or LF (quotes doubled inside). Cells a spreadsheet would run as a formula — starting with
 * {@code = + - @}, tab or CR — are neutralised with a leading apostrophe (OWASP "CSV injection").
 */
final class CsvWriter {

    private final StringBuilder out = new StringBuilder();

    CsvWriter(String... header) {
        row((Object[]) header);
    }

    /** Appends one row; null cells are empty. */
    CsvWriter row(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells[i] == null ? "" : cells[i].toString()));
        }
        out.append("\r\n");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\r') >= 0 || safe.indexOf('\n') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
