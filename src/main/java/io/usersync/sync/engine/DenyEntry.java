package io.usersync.sync.engine;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One deny-list entry of a connection: an exact address or a whole domain. */
@Entity
@Table(name = "deny_entry")
public class DenyEntry extends PanacheEntityBase {

    /** Exact address or every address of a domain. */
    public enum Kind {
        EMAIL, DOMAIN
    }

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "connection_id", nullable = false)
    public UUID connectionId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    public Kind kind;

    /** Lower-case address with an ASCII domain, or the lower-case ASCII domain. */
    @Column(name = "value_key", nullable = false, length = 254)
    public String valueKey;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The entry as users write it: the address, or {@code *@domain}. */
    public String display() {
        return kind == Kind.DOMAIN ? "*@" + valueKey : valueKey;
    }
}
