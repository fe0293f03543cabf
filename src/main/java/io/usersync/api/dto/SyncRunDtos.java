package io.usersync.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.usersync.sync.engine.ChangeKind;
import io.usersync.sync.engine.ChangeOutcome;
import io.usersync.sync.engine.PlannedChange;
import io.usersync.sync.engine.RunStatus;
import io.usersync.sync.engine.RunTrigger;
import io.usersync.sync.engine.SyncRun;
import io.usersync.sync.port.Provider;
import io.usersync.sync.port.ReadMode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Response bodies of sync runs. */
public final class SyncRunDtos {

    private SyncRunDtos() {
    }

    public record TriggerRun(Boolean dryRun) {
    }

    public record Counts(int fetched, int inPool, int denied, int created, int activated, int deactivated,
            int updated, int unchanged, int overLimit, int skipped, int conflicts) {
    }

    public record Progress(String phase, int pages, int usersProcessed, int plannedChanges, int appliedChanges) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(UUID id, UUID connectionId, Provider provider, RunTrigger trigger, boolean dryRun,
            RunStatus status, ReadMode mode, String requestedBy, Instant requestedAt, Instant startedAt,
            Instant finishedAt, Long durationMillis, Counts counts, Progress progress, Integer providerRequests,
            Integer throttledResponses, String errorKind, String error, String heldReason, String decidedBy,
            Instant decidedAt) {
        public static RunView of(SyncRun r) {
            Long duration = r.startedAt == null || r.finishedAt == null ? null
                    : Duration.between(r.startedAt, r.finishedAt).toMillis();
            return new RunView(r.id, r.connectionId, r.provider, r.trigger, r.dryRun, r.status, r.mode,
                    r.requestedBy, r.requestedAt, r.startedAt, r.finishedAt, duration,
                    new Counts(r.fetched, r.inPool, r.denied, r.created, r.activated, r.deactivated, r.updated,
                            r.unchanged, r.overLimit, r.skipped, r.conflicts),
                    new Progress(r.phase == null ? null : r.phase.name(), r.pages, r.usersProcessed, r.plannedChanges,
                            r.appliedChanges),
                    r.providerRequests, r.throttled, r.errorKind, r.errorMessage, r.heldReason, r.decidedBy,
                    r.decidedAt);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChangeView(int seq, ChangeKind kind, UUID userId, String externalId, String email,
            String firstName, String lastName, String detail, ChangeOutcome outcome) {
        public static ChangeView of(PlannedChange c) {
            return new ChangeView(c.seq(), c.kind(), c.userId(), c.externalId(), c.email(), c.firstName(),
                    c.lastName(), c.detail(), c.outcome());
        }
    }
}
