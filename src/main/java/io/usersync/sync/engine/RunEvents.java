package io.usersync.sync.engine;

import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEventType;
import io.usersync.events.WebhookEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells tenants (webhooks {@code sync.run.held}, {@code sync.run.failed}, {@code sync.run.succeeded}) how a run
 * ended, in the transaction that records the outcome. Other outcomes (cancelled, rejected) are not published.
 */
@ApplicationScoped
public class RunEvents {

    @Inject
    WebhookEvents webhooks;

    @Inject
    AppClock clock;

    /** Publishes the run's new status if tenants can subscribe to it; call after the row holds its outcome. */
    public void ended(SyncRun run) {
        WebhookEventType type = switch (run.status) {
            case HELD -> WebhookEventType.SYNC_RUN_HELD;
            case FAILED -> WebhookEventType.SYNC_RUN_FAILED;
            case SUCCEEDED -> WebhookEventType.SYNC_RUN_SUCCEEDED;
            default -> null;
        };
        if (type == null) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runId", run.id.toString());
        data.put("connectionId", run.connectionId.toString());
        data.put("provider", run.provider.name());
        data.put("trigger", run.trigger.name());
        data.put("dryRun", run.dryRun);
        data.put("status", run.status.name());
        data.put("heldReason", run.heldReason);
        data.put("errorKind", run.errorKind);
        data.put("error", run.errorMessage);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("fetched", run.fetched);
        counts.put("inPool", run.inPool);
        counts.put("denied", run.denied);
        counts.put("created", run.created);
        counts.put("activated", run.activated);
        counts.put("deactivated", run.deactivated);
        counts.put("updated", run.updated);
        counts.put("unchanged", run.unchanged);
        counts.put("overLimit", run.overLimit);
        counts.put("skipped", run.skipped);
        counts.put("conflicts", run.conflicts);
        data.put("counts", counts);
        data.put("requestedAt", text(run.requestedAt));
        data.put("startedAt", text(run.startedAt));
        data.put("finishedAt", text(run.finishedAt));
        Instant at = run.finishedAt != null ? run.finishedAt : clock.now();
        webhooks.publish(WebhookEvent.syncRun(type, run.mspId, run.clientId, at, data));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
