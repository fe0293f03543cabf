package io.usersync.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.common.time.MicrosecondInstantJdbcType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeRegistration;

/**
 * A managed service provider: the top-level tenant. {@link #createdAt} anchors its monthly billing periods.
 * <p>
 * Also carries the persistence unit's one global JDBC type registration: instants keep their microseconds on
 * MariaDB 10.x too ({@link MicrosecondInstantJdbcType}).
 */
@JdbcTypeRegistration(MicrosecondInstantJdbcType.class)
@Entity
@Table(name = "msp")
public class Msp extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "payment_method_on_file", nullable = false)
    public boolean paymentMethodOnFile;

    @Version
    public long version;
}
