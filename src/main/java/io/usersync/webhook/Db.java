package io.usersync.webhook;

import io.usersync.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Plain JDBC for the webhook tables: ids as {@code BINARY(16)}, instants as exact {@code DATETIME(6)} text. */
public final class Db {

    /** Maps one row. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Db() {
    }

    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("webhook query failed: " + e.getMessage(), e);
        }
    }

    public static int update(Connection c, String sql, Object... params) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook update failed: " + e.getMessage(), e);
        }
    }

    public static void batch(Connection c, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(s, row);
                s.addBatch();
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook batch failed: " + e.getMessage(), e);
        }
    }

    /** {@code ?, ?, ?} for an IN list. */
    public static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement s, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int index = i + 1;
            switch (p) {
                case null -> s.setNull(index, Types.NULL);
                case UUID id -> s.setBytes(index, Jdbc.bytes(id));
                case Instant instant -> s.setString(index, Jdbc.timestamp(instant));
                case Boolean b -> s.setBoolean(index, b);
                case Integer n -> s.setInt(index, n);
                case Long n -> s.setLong(index, n);
                case byte[] bytes -> s.setBytes(index, bytes);
                case String text -> s.setString(index, text);
                default -> throw new IllegalArgumentException("unsupported parameter " + p.getClass());
            }
        }
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return Jdbc.uuid(rs, column);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return Jdbc.instant(rs, column);
    }

    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
