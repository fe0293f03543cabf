package io.usersync.api.dto;

import io.usersync.tenant.access.ApiKey;
import io.usersync.tenant.access.ApiKeySecret;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request and response bodies of {@code /api/msps/{mspId}/api-keys} and {@code /api/clients/{clientId}/api-keys}. */
public final class ApiKeyDtos {

    private ApiKeyDtos() {
    }

    public record CreateApiKey(
            @NotNull @Schema(description = "What the key is for, e.g. \"CI deploy\"", maxLength = 100) String name,
            @Schema(description = "When the key stops working (UTC, in the future); none: until revoked")
            Instant expiresAt) {
    }

    /**
     * A key as listed: never its secret.
     *
     * @param prefix     the public start of the key ({@code usk_} and its id), to recognise it in a script
     * @param role       the rights it carries: msp-admin (MSP keys) or client-admin (client account keys)
     * @param status     ACTIVE, EXPIRED or REVOKED
     * @param lastUsedAt the last authenticated request (written in batches: may lag by a minute on other replicas)
     */
    public record ApiKeyView(UUID id, String name, UUID mspId, UUID clientId, String role, String prefix,
            String status, String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt,
            Instant lastUsedAt) {

        public static ApiKeyView of(ApiKey key, String status, Instant lastUsedAt) {
            return new ApiKeyView(key.id, key.name, key.mspId, key.clientId, key.role.claim(),
                    ApiKeySecret.displayPrefix(key.id), status, key.createdBy, key.createdAt, key.expiresAt,
                    key.revokedAt, lastUsedAt);
        }
    }

    /** A new key with its secret: shown once, never again. */
    public record CreatedApiKey(@Schema(description = "The key; send it as Authorization: Bearer <secret>. "
            + "Shown only in this answer.") String secret, ApiKeyView key) {
    }
}
