package io.usersync.common;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Conversions for the few places that use plain JDBC (bulk paths). Ids are {@code BINARY(16)}; instants are
 * {@code DATETIME(6)} holding UTC wall time, exactly as Hibernate writes them (see
 * {@link io.usersync.common.time.MicrosecondInstantJdbcType}).
 * <p>
 * Instants are bound as {@code yyyy-MM-dd HH:mm:ss.SSSSSS} text, never as {@code LocalDateTime}/{@code Timestamp}:
 * MySQL Connector/J takes MariaDB 10.x (which announces itself as "5.5.5-10.x") for a server without fractional
 * seconds and silently drops the microseconds of bound temporal values. Text is exact on MySQL 8 and MariaDB alike.
 */
public final class Jdbc {

    private Jdbc() {
    }

    public static byte[] bytes(UUID id) {
        if (id == null) {
            return null;
        }
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    public static UUID uuid(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return uuid(rs.getBytes(column));
    }

    private static final DateTimeFormatter DATETIME6 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /** An instant as the exact {@code DATETIME(6)} literal of its UTC wall time, for binding (null stays null). */
    public static String timestamp(Instant instant) {
        return instant == null ? null : DATETIME6.format(instant);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    public static void setBoolean(PreparedStatement statement, int index, Boolean value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BOOLEAN);
        } else {
            statement.setBoolean(index, value);
        }
    }

    public static Boolean getBoolean(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }
}
