package io.usersync.api.dto;

import io.usersync.tenant.Msp;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.UUID;

/** Request and response bodies of {@code /api/msps}. */
public final class MspDtos {

    private MspDtos() {
    }

    public record CreateMsp(@NotNull String name, Boolean paymentMethodOnFile) {
    }

    /** Absent members are left unchanged. */
    public record UpdateMsp(String name, Boolean paymentMethodOnFile) {
    }

    public record MspView(UUID id, String name, Instant createdAt, boolean paymentMethodOnFile) {
        public static MspView of(Msp msp) {
            return new MspView(msp.id, msp.name, msp.createdAt, msp.paymentMethodOnFile);
        }
    }
}
