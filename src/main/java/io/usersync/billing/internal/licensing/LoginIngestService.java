package io.usersync.billing.internal.licensing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.usersync.billing.api.Licensing.IngestReport;
import io.usersync.billing.api.Licensing.LineOutcome;
import io.usersync.billing.api.Licensing.LineResult;
import io.usersync.billing.api.Licensing.LoginLine;
import io.usersync.billing.internal.licensing.LoginStore.Login;
import io.usersync.billing.internal.licensing.LoginStore.Stored;
import io.usersync.common.Ids;
import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.directory.UserLookup;
import io.usersync.directory.UserLookup.UserCard;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Ingests login events in batches. Each line is judged on its own: a bad line is rejected with a reason and the
 * others are still accepted. Idempotent by event id (unique per client account): a replayed line with the same
 * user and instant is reported as a duplicate and changes nothing; an event id reused for a different user or
 * instant is rejected ({@code event-id-conflict}) and the stored event stays as it was.
 *
 * <p>Users are validated through the directory's {@link UserLookup}: a user id that is unknown or belongs to
 * another client account (of any tenant) is rejected with the same reason, {@code unknown-user}, so a batch
 * cannot probe which ids exist elsewhere. A login after the user's deletion is rejected; a login of a
 * deactivated user is accepted (it counts for MAU and MAUC, but takes no seat, see {@link UsageCalculator}).
 */
@ApplicationScoped
public class LoginIngestService {

    static final int MAX_EVENT_ID = 128;
    /** Logins before this are refused as nonsense (and could not be stored). */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    /** Attempts of a batch that InnoDB chose as a deadlock victim (concurrent batches with the same events). */
    static final int MAX_ATTEMPTS = 3;

    @Inject
    TenantService tenants;

    @Inject
    UserLookup userLookup;

    @Inject
    LoginStore store;

    @Inject
    AppClock clock;

    @Inject
    LicensingConfig config;

    /** A line that passed the checks that need no database. */
    private record Candidate(int index, String eventId, UUID userId, Instant occurredAt) {
    }

    /** Ingests one batch in one transaction, retried when the database resolves a deadlock by aborting it. */
    public IngestReport ingest(Caller caller, UUID clientId, List<LoginLine> lines) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> ingestOnce(caller, clientId, lines));
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !isDeadlock(e)) {
                    throw e;
                }
            }
        }
    }

    private IngestReport ingestOnce(Caller caller, UUID clientId, List<LoginLine> lines) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = tenants.getClient(caller, clientId);
        if (lines == null || lines.isEmpty()) {
            throw DomainException.invalidField("events", "must contain at least one login event");
        }
        if (lines.size() > config.maxBatchLines()) {
            throw DomainException.invalidField("events", "at most " + config.maxBatchLines()
                    + " login events per batch; split the batch");
        }
        Instant now = clock.now();
        List<LineResult> results = new ArrayList<>();
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            LoginLine line = lines.get(i);
            if (line == null) {
                results.add(rejected(i, null, "invalid-event-id", "the line is empty"));
                continue;
            }
            Candidate candidate = parse(i, line, now, results);
            if (candidate == null) {
                continue;
            }
            Candidate earlier = candidates.get(candidate.eventId());
            if (earlier == null) {
                candidates.put(candidate.eventId(), candidate);
            } else if (sameFact(earlier, candidate.userId(), candidate.occurredAt())) {
                results.add(new LineResult(i, candidate.eventId(), LineOutcome.DUPLICATE, "duplicate",
                        "repeats line " + earlier.index() + " of this batch"));
            } else {
                results.add(rejected(i, candidate.eventId(), "event-id-conflict", "line " + earlier.index()
                        + " of this batch has the same event id with another user or instant"));
            }
        }

        Map<UUID, UserCard> users = userLookup.usersOf(caller, clientId,
                candidates.values().stream().map(Candidate::userId).toList());
        List<Candidate> valid = new ArrayList<>();
        for (Candidate candidate : candidates.values()) {
            UserCard user = users.get(candidate.userId());
            if (user == null) {
                results.add(rejected(candidate.index(), candidate.eventId(), "unknown-user",
                        "no user " + candidate.userId() + " in this client account"));
            } else if (user.deletedAt() != null && !candidate.occurredAt().isBefore(user.deletedAt())) {
                results.add(rejected(candidate.index(), candidate.eventId(), "user-deleted",
                        "the user was deleted at " + user.deletedAt() + ", before this login"));
            } else {
                valid.add(candidate);
            }
        }

        UUID batchId = Ids.newId();
        store.insertNew(client.mspId, client.id, batchId, now, valid.stream()
                .sorted(Comparator.comparing(Candidate::eventId))
                .map(c -> new Login(c.eventId(), c.userId(), c.occurredAt())).toList());
        Map<String, Stored> stored = store.findByEventIds(client.mspId, client.id,
                valid.stream().map(Candidate::eventId).toList());
        int accepted = 0;
        for (Candidate candidate : valid) {
            Stored row = stored.get(candidate.eventId());
            if (row == null) {
                throw new IllegalStateException("login event " + candidate.eventId() + " was neither stored nor found");
            }
            if (row.batchId().equals(batchId)) {
                accepted++;
            } else if (row.userId().equals(candidate.userId()) && row.occurredAt().equals(candidate.occurredAt())) {
                results.add(new LineResult(candidate.index(), candidate.eventId(), LineOutcome.DUPLICATE,
                        "duplicate", "already ingested"));
            } else {
                results.add(rejected(candidate.index(), candidate.eventId(), "event-id-conflict",
                        "this event id was already ingested with another user or instant"));
            }
        }
        results.sort(Comparator.comparingInt(LineResult::index));
        int duplicates = (int) results.stream().filter(r -> r.outcome() == LineOutcome.DUPLICATE).count();
        return new IngestReport(accepted, duplicates, results.size() - duplicates, results);
    }

    /** Code points an event id may not hold: controls, and halves of a surrogate pair standing alone. */
    private static boolean unstorable(int codePoint) {
        return Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE;
    }

    private static Candidate parse(int index, LoginLine line, Instant now, List<LineResult> results) {
        String eventId = line.eventId();
        if (eventId == null || eventId.isBlank() || eventId.length() > MAX_EVENT_ID
                || eventId.codePoints().anyMatch(LoginIngestService::unstorable)) {
            // a lone surrogate can be neither stored nor written back as JSON: such an id is not echoed
            boolean echo = eventId != null && eventId.length() <= MAX_EVENT_ID
                    && eventId.codePoints().noneMatch(cp -> Character.getType(cp) == Character.SURROGATE);
            results.add(rejected(index, echo ? eventId : null, "invalid-event-id", "eventId must be 1 to "
                    + MAX_EVENT_ID + " characters without controls or unpaired surrogates"));
            return null;
        }
        UUID userId = Ids.parseOrNull(line.userId());
        if (userId == null) {
            results.add(rejected(index, eventId, "invalid-user-id", "userId must be a UUID"));
            return null;
        }
        Instant occurredAt = parseInstant(line.occurredAt());
        if (occurredAt == null || occurredAt.isBefore(EARLIEST)) {
            results.add(rejected(index, eventId, "invalid-occurred-at",
                    "occurredAt must be an ISO-8601 instant with offset after 1970, e.g. 2025-03-01T07:30:00Z"));
            return null;
        }
        if (occurredAt.isAfter(now)) {
            results.add(rejected(index, eventId, "occurred-in-future",
                    "occurredAt is later than the server time " + now + "; send the event once it has happened"));
            return null;
        }
        return new Candidate(index, eventId, userId, occurredAt);
    }

    /** An ISO-8601 date-time with offset ({@code Z} or {@code ±hh:mm}), as a UTC instant in microseconds. */
    static Instant parseInstant(String text) {
        if (text == null || text.length() > 64) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    .truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean isDeadlock(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && (sql.getErrorCode() == 1213 || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFact(Candidate candidate, UUID userId, Instant occurredAt) {
        return candidate.userId().equals(userId) && candidate.occurredAt().equals(occurredAt);
    }

    private static LineResult rejected(int index, String eventId, String reason, String detail) {
        return new LineResult(index, eventId, LineOutcome.REJECTED, reason, detail);
    }
}
