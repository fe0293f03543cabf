package io.usersync.api;

import io.usersync.api.dto.PageView;
import io.usersync.api.dto.SyncRunDtos.ChangeView;
import io.usersync.api.dto.SyncRunDtos.RunView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.common.Cursor;
import io.usersync.sync.engine.ChangeKind;
import io.usersync.sync.engine.SyncRun;
import io.usersync.sync.engine.SyncRuns;
import io.usersync.sync.engine.SyncWorker;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One sync run: status, counts, live progress, its per-user changes, and the decisions on a held run. */
@Path("/api/clients/{clientId}/sync-runs/{runId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Sync runs")
public class SyncRunResource {

    @Inject
    CurrentCaller caller;

    @Inject
    SyncRuns runs;

    @Inject
    SyncWorker worker;

    @GET
    @Operation(summary = "A run with its counts and live progress")
    public RunView get(@PathParam("clientId") String clientId, @PathParam("runId") String runId) {
        return RunView.of(runs.get(caller.get(), Params.id("clientId", clientId), Params.id("runId", runId)));
    }

    @GET
    @Path("changes")
    @Operation(summary = "The run's per-user change list (its plan, with the outcome of each row once applied)")
    public PageView<ChangeView> changes(@PathParam("clientId") String clientId, @PathParam("runId") String runId,
            @QueryParam("kind") String kind, @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return PageView.of(runs.changes(caller.get(), Params.id("clientId", clientId), Params.id("runId", runId),
                Params.enumValue("kind", kind, ChangeKind.class), cursor, Cursor.limit(limit)), ChangeView::of);
    }

    @POST
    @Path("approve")
    @Operation(summary = "Approve a HELD run: apply exactly its plan")
    public RunView approve(@PathParam("clientId") String clientId, @PathParam("runId") String runId) {
        Caller who = caller.get();
        UUID client = Params.id("clientId", clientId);
        SyncRun run = runs.approve(who, client, Params.id("runId", runId));
        if (!worker.runNowIfFree(run.connectionId, run.id)) {
            worker.wakeUp();
        }
        return RunView.of(runs.get(who, client, run.id));
    }

    @POST
    @Path("reject")
    @Operation(summary = "Reject a HELD run: nothing is applied")
    public RunView reject(@PathParam("clientId") String clientId, @PathParam("runId") String runId) {
        return RunView.of(runs.reject(caller.get(), Params.id("clientId", clientId), Params.id("runId", runId)));
    }

    @POST
    @Path("cancel")
    @Operation(summary = "Cancel a queued or held run, or stop a running one before it applies anything")
    public RunView cancel(@PathParam("clientId") String clientId, @PathParam("runId") String runId) {
        return RunView.of(runs.cancel(caller.get(), Params.id("clientId", clientId), Params.id("runId", runId)));
    }
}
