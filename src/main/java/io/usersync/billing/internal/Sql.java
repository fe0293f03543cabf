package io.usersync.billing.internal;

import io.usersync.common.Jdbc;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The small JDBC toolkit of the billing module, which uses plain SQL throughout (bulk ledger paths and exact
 * control over locking). Parameters bind by Java type: {@link UUID} as {@code BINARY(16)}, {@link Instant} as
 * UTC {@code DATETIME(6)}, enums by name.
 */
public final class Sql {

    /** Reads one row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("billing query failed: " + firstLine(sql), e);
        }
    }

    public static <T> T one(Connection connection, String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(connection, sql, mapper, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static int update(Connection connection, String sql, Object... params) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("billing update failed: " + firstLine(sql), e);
        }
    }

    /** Executes one statement for each parameter row as a JDBC batch. */
    public static void batch(Connection connection, String sql, Collection<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int pending = 0;
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
                if (++pending == 1000) {
                    statement.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("billing batch failed: " + firstLine(sql), e);
        }
    }

    /** {@code ?,?,?} for an IN list of the given size. */
    public static String marks(int count) {
        return String.join(",", java.util.Collections.nCopies(count, "?"));
    }

    /** Splits a collection into lists of at most {@code size} elements (bounded IN lists). */
    public static <T> List<List<T>> chunks(Collection<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> current = new ArrayList<>(Math.min(size, items.size()));
        for (T item : items) {
            current.add(item);
            if (current.size() == size) {
                chunks.add(current);
                current = new ArrayList<>(size);
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** Concatenates fixed parameters and a list (for IN clauses). */
    public static Object[] params(Collection<?> list, Object... leading) {
        Object[] all = new Object[leading.length + list.size()];
        System.arraycopy(leading, 0, all, 0, leading.length);
        int i = leading.length;
        for (Object o : list) {
            all[i++] = o;
        }
        return all;
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return Jdbc.uuid(rs.getBytes(column));
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return Jdbc.instant(rs, column);
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            switch (p) {
                case null -> statement.setNull(index, Types.NULL);
                case UUID id -> statement.setBytes(index, Jdbc.bytes(id));
                case Instant instant -> statement.setObject(index, Jdbc.timestamp(instant));
                case LocalDate date -> statement.setObject(index, date);
                case Boolean b -> statement.setBoolean(index, b);
                case Integer n -> statement.setInt(index, n);
                case Long n -> statement.setLong(index, n);
                case BigDecimal d -> statement.setBigDecimal(index, d);
                case String s -> statement.setString(index, s);
                case Enum<?> e -> statement.setString(index, e.name());
                default -> throw new IllegalArgumentException("unsupported parameter type " + p.getClass());
            }
        }
    }

    private static String firstLine(String sql) {
        String trimmed = sql.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
