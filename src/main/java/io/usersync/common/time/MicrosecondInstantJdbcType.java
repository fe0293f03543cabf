package io.usersync.common.time;

import io.usersync.common.Jdbc;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import org.hibernate.type.descriptor.ValueBinder;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.descriptor.jdbc.BasicBinder;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsJdbcTimestampJdbcType;

/**
 * How Hibernate binds every {@link Instant} (SQL type {@code TIMESTAMP_UTC}, columns {@code DATETIME(6)}): as the
 * exact UTC wall-time literal of {@link Jdbc#timestamp}, because MySQL Connector/J drops the microseconds of bound
 * temporal values on MariaDB 10.x (it reads the server's "5.5.5-10.x" greeting as MySQL 5.5). Reading is left to
 * Hibernate's standard UTC extraction, which keeps the microseconds the server returns. Registered globally on
 * {@link io.usersync.tenant.Msp}.
 */
public class MicrosecondInstantJdbcType extends TimestampUtcAsJdbcTimestampJdbcType {

    @Override
    public <X> ValueBinder<X> getBinder(JavaType<X> javaType) {
        return new BasicBinder<>(javaType, this) {
            @Override
            protected void doBind(PreparedStatement statement, X value, int index, WrapperOptions options)
                    throws SQLException {
                statement.setString(index, Jdbc.timestamp(javaType.unwrap(value, Instant.class, options)));
            }

            @Override
            protected void doBind(CallableStatement statement, X value, String name, WrapperOptions options)
                    throws SQLException {
                statement.setString(name, Jdbc.timestamp(javaType.unwrap(value, Instant.class, options)));
            }
        };
    }
}
