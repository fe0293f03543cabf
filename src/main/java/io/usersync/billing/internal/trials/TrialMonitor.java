package io.usersync.billing.internal.trials;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.usersync.billing.api.Notice;
import io.usersync.billing.api.Trials;
import io.usersync.billing.internal.AccountStore;
import io.usersync.billing.internal.Sql;
import io.usersync.common.Ids;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEvents;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientStatus;
import io.usersync.tenant.TenantService;
import io.usersync.tenant.TenantService.TrialState;
import io.usersync.tenant.TrialConfig;
import io.usersync.tenant.TrialRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Ends trials, never silently (see {@link Trials}). Every {@code usersync.billing.trial.check-every} (1 min) it
 * finds the client accounts whose trial has ended and, for each, in one transaction under the account's row
 * lock: with {@code on-end=activate} makes it ACTIVE dated at the trial's end (so it is billed from there), and
 * records one {@code TRIAL_ENDED} notice per trial end (a unique key makes replicas and reruns harmless). It
 * publishes the notice as a {@code billing.notice.raised} webhook (in the same transaction). It also clears the
 * open notices of trials that have since been converted, deleted or extended. Each ended trial
 * is logged once, when its notice is raised.
 */
@ApplicationScoped
public class TrialMonitor implements Trials {

    private static final Logger LOG = Logger.getLogger(TrialMonitor.class);
    private static final Caller SYSTEM = Caller.system("billing-trials");
    private static final int PAGE = 500;

    @Inject
    TenantService tenants;

    @Inject
    TrialConfig config;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    WebhookEvents webhooks;

    /** Tests only: the on-end behaviour instead of the configured one (null: the configuration). */
    private volatile TrialConfig.OnEnd onEndOverride;

    /** Tests only: behave as with {@code usersync.billing.trial.on-end} = {@code onEnd} (a profile would restart). */
    public void overrideOnEnd(TrialConfig.OnEnd onEnd) {
        onEndOverride = onEnd;
    }

    public void restoreOnEnd() {
        onEndOverride = null;
    }

    private TrialConfig.OnEnd onEnd() {
        TrialConfig.OnEnd override = onEndOverride;
        return override != null ? override : config.onEnd();
    }

    @Scheduled(identity = "billing-trials", every = "${usersync.billing.trial.check-every:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        endDueTrials();
    }

    @Override
    public List<Trial> trials(Caller caller, UUID mspId) {
        Instant now = clock.now();
        String onEnd = onEnd().name();
        return tenants.trials(caller, mspId).stream().map(t -> new Trial(t.clientId(), t.name(), t.trialStartedAt(),
                t.trialEndsAt(), TrialRules.ended(t.trialEndsAt(), now), onEnd)).toList();
    }

    @Override
    public int endDueTrials() {
        Instant now = clock.now();
        int ended = 0;
        UUID after = null;
        while (true) {
            List<TrialState> page = tenants.endedTrials(SYSTEM, now, after, PAGE);
            Set<String> noticed = noticed(page);
            for (TrialState trial : page) {
                if (noticed.contains(dedupKey(trial.clientId(), trial.trialEndsAt()))) {
                    continue; // handled by an earlier run: the notice stays open until the account leaves TRIAL
                }
                try {
                    if (QuarkusTransaction.requiringNew().call(() -> end(trial))) {
                        ended++;
                    }
                } catch (RuntimeException e) {
                    // one account must not stop the others; the next run retries it
                    LOG.warnf("could not end the trial of client account %s: %s", trial.clientId(), e.toString());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().clientId();
        }
        clearSettled();
        return ended;
    }

    /** Ends one trial in the caller's new transaction; false when another run or replica did already. */
    private boolean end(TrialState trial) {
        if (!tenants.stillInEndedTrial(SYSTEM, trial.clientId(), trial.trialEndsAt())) {
            return false; // converted, deleted or extended since it was listed: that trial did not end
        }
        boolean activated = onEnd() == TrialConfig.OnEnd.ACTIVATE
                && tenants.activateEndedTrial(SYSTEM, trial.clientId(), trial.trialEndsAt());
        Instant now = clock.now();
        String detail = activated
                ? "The trial of client account " + trial.name() + " ended at " + trial.trialEndsAt()
                        + "; it is now ACTIVE and billed from then (usersync.billing.trial.on-end=activate)"
                : "The trial of client account " + trial.name() + " ended at " + trial.trialEndsAt()
                        + "; it stays in TRIAL and is not billed until its MSP makes it ACTIVE";
        UUID noticeId = Ids.newId();
        try (Connection c = dataSource.getConnection()) {
            int inserted = Sql.update(c, "INSERT INTO billing_notice (id, msp_id, kind, raised_at, cleared_at,"
                    + " client_id, trial_ended_at, detail, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE id = id", noticeId, trial.mspId(), Notice.TRIAL_ENDED, now,
                    activated ? now : null, trial.clientId(), trial.trialEndsAt(), detail,
                    dedupKey(trial.clientId(), trial.trialEndsAt()));
            if (inserted == 0) {
                return false;
            }
            AccountStore.touch(c, trial.mspId());
            webhooks.publish(WebhookEvent.noticeRaised(trial.mspId(), noticeId, Notice.TRIAL_ENDED, now,
                    Map.of("clientId", trial.clientId().toString(), "trialEndedAt", trial.trialEndsAt().toString(),
                            "activated", activated)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof("MSP %s: trial of client account %s ended at %s (%s)", trial.mspId(), trial.clientId(),
                trial.trialEndsAt(), activated ? "made ACTIVE" : "still TRIAL, not billed; notice raised");
        return true;
    }

    /** The dedup keys of the notices already raised for these trial ends. */
    private Set<String> noticed(List<TrialState> trials) {
        Set<String> keys = new HashSet<>();
        if (trials.isEmpty()) {
            return keys;
        }
        List<String> wanted = trials.stream().map(t -> dedupKey(t.clientId(), t.trialEndsAt())).toList();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                for (List<String> chunk : Sql.chunks(wanted, 500)) {
                    keys.addAll(Sql.query(c, "SELECT dedup_key FROM billing_notice WHERE dedup_key IN ("
                            + Sql.marks(chunk.size()) + ")", rs -> rs.getString(1), chunk.toArray()));
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return keys;
    }

    /** Clears open TRIAL_ENDED notices whose account left that trial (converted, deleted or end moved). */
    private void clearSettled() {
        List<Object[]> open = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return Sql.query(c, "SELECT id, msp_id, client_id, trial_ended_at FROM billing_notice"
                        + " WHERE kind = ? AND cleared_at IS NULL", rs -> new Object[] { Sql.uuid(rs, "id"),
                                Sql.uuid(rs, "msp_id"), Sql.uuid(rs, "client_id"), Sql.instant(rs, "trial_ended_at") },
                        Notice.TRIAL_ENDED);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        if (open.isEmpty()) {
            return;
        }
        Map<UUID, TrialState> states = tenants.trialStates(SYSTEM, open.stream().map(r -> (UUID) r[2]).toList());
        List<Object[]> settled = new ArrayList<>();
        for (Object[] notice : open) {
            TrialState state = states.get((UUID) notice[2]);
            if (state == null || state.status() != ClientStatus.TRIAL || !notice[3].equals(state.trialEndsAt())) {
                settled.add(notice);
            }
        }
        if (settled.isEmpty()) {
            return;
        }
        Instant now = clock.now();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                for (Object[] notice : settled) {
                    Sql.update(c, "UPDATE billing_notice SET cleared_at = ? WHERE msp_id = ? AND id = ?"
                            + " AND cleared_at IS NULL", now, notice[1], notice[0]);
                    AccountStore.touch(c, (UUID) notice[1]);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String dedupKey(UUID clientId, Instant trialEndsAt) {
        return "trial-ended:" + clientId + ":" + trialEndsAt;
    }
}
