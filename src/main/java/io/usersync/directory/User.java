package io.usersync.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A user of a client account. Active users can receive material and are billable. */
@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id", nullable = false)
    public UUID clientId;

    @Column(name = "first_name", nullable = false, length = 100)
    public String firstName;

    @Column(name = "last_name", nullable = false, length = 100)
    public String lastName;

    @Column(nullable = false, length = 254)
    public String email;

    /** Case-insensitive uniqueness key of {@link #email}; null once the user is deleted. */
    @Column(name = "email_key", length = 254)
    public String emailKey;

    @Column(nullable = false)
    public boolean active;

    @Column(nullable = false)
    public boolean admin;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 8)
    public UserSource source;

    /** The provider's immutable id for synced users. */
    @Column(name = "external_id", length = 128)
    public String externalId;

    /** Uniqueness key of {@link #externalId}; null once the user is deleted. */
    @Column(name = "external_key", length = 128)
    public String externalKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Version
    public long version;
}
