package io.usersync.tenant.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.usersync.tenant.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An API key of one MSP ({@code clientId} null: MSP-admin rights) or of one client account (client-admin
 * rights); never an operator. Holds only the hash of its secret ({@link ApiKeySecret}).
 */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "msp_id", nullable = false)
    public UUID mspId;

    @Column(name = "client_id")
    public UUID clientId;

    @Column(nullable = false, length = 100)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Role role;

    @Column(name = "secret_hash", nullable = false, length = 32)
    public byte[] secretHash;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by", length = 200)
    public String revokedBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    /** Whether the key authenticates at this instant. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public String status(Instant now) {
        return revokedAt != null ? "REVOKED" : expiresAt != null && !now.isBefore(expiresAt) ? "EXPIRED" : "ACTIVE";
    }
}
