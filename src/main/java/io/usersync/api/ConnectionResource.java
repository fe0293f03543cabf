package io.usersync.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.usersync.api.dto.ConnectionDtos.AddDenyEntries;
import io.usersync.api.dto.ConnectionDtos.ConnectionView;
import io.usersync.api.dto.ConnectionDtos.CreateConnection;
import io.usersync.api.dto.ConnectionDtos.DenyEntryView;
import io.usersync.api.dto.ConnectionDtos.DenyListChange;
import io.usersync.api.dto.ConnectionDtos.GoogleCredentials;
import io.usersync.api.dto.ConnectionDtos.M365Credentials;
import io.usersync.api.dto.ConnectionDtos.MassDeactivation;
import io.usersync.api.dto.ConnectionDtos.Pool;
import io.usersync.api.dto.ConnectionDtos.TestResult;
import io.usersync.api.dto.ConnectionDtos.UpdateConnection;
import io.usersync.api.dto.PageView;
import io.usersync.api.dto.SyncRunDtos.RunView;
import io.usersync.api.dto.SyncRunDtos.TriggerRun;
import io.usersync.api.security.CurrentCaller;
import io.usersync.common.Cursor;
import io.usersync.common.error.DomainException;
import io.usersync.sync.engine.ConnectionService;
import io.usersync.sync.engine.DenyListService;
import io.usersync.sync.engine.SyncRun;
import io.usersync.sync.engine.SyncRunner;
import io.usersync.sync.engine.SyncRuns;
import io.usersync.sync.engine.SyncWorker;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.Provider;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Directory connections of a client account, their deny lists and their runs. */
@Path("/api/clients/{clientId}/connections")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Directory connections")
public class ConnectionResource {

    @Inject
    CurrentCaller caller;

    @Inject
    ConnectionService connections;

    @Inject
    DenyListService denyLists;

    @Inject
    SyncRuns runs;

    @Inject
    SyncRunner runner;

    @Inject
    SyncWorker worker;

    @POST
    @Operation(summary = "Connect the client account to M365 or Google Workspace")
    public Response create(@PathParam("clientId") String clientId, @Valid CreateConnection body) {
        Params.body(body);
        if (body.provider() == null) {
            throw DomainException.invalidField("provider", "must be M365 or GOOGLE");
        }
        ConnectionService.View view = connections.create(caller.get(), Params.id("clientId", clientId),
                body.provider(), settings(body.provider(), body.m365(), body.google(), body.pool(),
                        body.scheduleMinutes(), body.enabled(), body.massDeactivation(), true));
        return Response.created(URI.create("/api/clients/" + clientId + "/connections/" + view.connection().id))
                .entity(ConnectionView.of(view)).build();
    }

    @GET
    @Operation(summary = "List the client account's connections")
    public List<ConnectionView> list(@PathParam("clientId") String clientId) {
        return connections.list(caller.get(), Params.id("clientId", clientId)).stream().map(ConnectionView::of)
                .toList();
    }

    @GET
    @Path("{connectionId}")
    @Operation(summary = "Get a connection (credentials are never returned)")
    public ConnectionView get(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId) {
        return ConnectionView.of(connections.get(caller.get(), Params.id("clientId", clientId),
                Params.id("connectionId", connectionId)));
    }

    @PATCH
    @Path("{connectionId}")
    @Operation(summary = "Change pool, schedule, guard, enabled flag or credentials")
    public ConnectionView update(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId, @Valid UpdateConnection body) {
        Params.body(body);
        Caller who = caller.get();
        UUID client = Params.id("clientId", clientId);
        UUID connection = Params.id("connectionId", connectionId);
        Provider provider = connections.get(who, client, connection).connection().provider;
        return ConnectionView.of(connections.update(who, client, connection, settings(provider, body.m365(),
                body.google(), body.pool(), body.scheduleMinutes(), body.enabled(), body.massDeactivation(), false)));
    }

    @DELETE
    @Path("{connectionId}")
    @Operation(summary = "Remove a connection; its users stay as they are")
    public void delete(@PathParam("clientId") String clientId, @PathParam("connectionId") String connectionId) {
        connections.delete(caller.get(), Params.id("clientId", clientId), Params.id("connectionId", connectionId));
    }

    @POST
    @Path("{connectionId}/test")
    @Operation(summary = "Test the connection: fetch a token and one user")
    public TestResult test(@PathParam("clientId") String clientId, @PathParam("connectionId") String connectionId) {
        UUID connection = connections.get(caller.get(), Params.id("clientId", clientId),
                Params.id("connectionId", connectionId)).connection().id;
        try {
            return new TestResult(true, runner.testConnection(connection));
        } catch (DirectoryException e) {
            return new TestResult(false, e.kind() + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- runs

    @POST
    @Path("{connectionId}/runs")
    @Operation(summary = "Run a sync now (dryRun=true: plan only, change nothing)")
    public Response trigger(@PathParam("clientId") String clientId, @PathParam("connectionId") String connectionId,
            TriggerRun body) {
        boolean dryRun = body != null && Boolean.TRUE.equals(body.dryRun());
        SyncRun run = runs.trigger(caller.get(), Params.id("clientId", clientId),
                Params.id("connectionId", connectionId), dryRun);
        worker.wakeUp();
        return Response.accepted(RunView.of(run))
                .location(URI.create("/api/clients/" + clientId + "/sync-runs/" + run.id)).build();
    }

    @GET
    @Path("{connectionId}/runs")
    @Operation(summary = "Runs of the connection, newest first")
    public PageView<RunView> runs(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return PageView.of(runs.list(caller.get(), Params.id("clientId", clientId),
                Params.id("connectionId", connectionId), Cursor.decode(cursor), Cursor.limit(limit)), RunView::of);
    }

    // ---------------------------------------------------------------- deny list

    @GET
    @Path("{connectionId}/deny-list")
    @Operation(summary = "The connection's deny list")
    public List<DenyEntryView> denyList(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId) {
        return denyLists.list(caller.get(), Params.id("clientId", clientId), Params.id("connectionId", connectionId))
                .stream().map(DenyEntryView::of).toList();
    }

    @POST
    @Path("{connectionId}/deny-list")
    @Operation(summary = "Add addresses or *@domain entries; takes effect at once")
    public DenyListChange addDenyEntries(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId, @Valid AddDenyEntries body) {
        Params.body(body);
        if (body.entries() == null || body.entries().isEmpty()) {
            throw DomainException.invalidField("entries", "must list at least one entry");
        }
        UUID client = Params.id("clientId", clientId);
        UUID connection = Params.id("connectionId", connectionId);
        DenyListService.ImportReport report = denyLists.add(caller.get(), client, connection, body.entries());
        return change(report, client, connection);
    }

    @DELETE
    @Path("{connectionId}/deny-list/{entryId}")
    @Operation(summary = "Remove a deny-list entry; takes effect at once")
    public DenyListChange removeDenyEntry(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId, @PathParam("entryId") String entryId) {
        UUID client = Params.id("clientId", clientId);
        UUID connection = Params.id("connectionId", connectionId);
        denyLists.remove(caller.get(), client, connection, Params.id("entryId", entryId));
        return change(new DenyListService.ImportReport(0, 0, 0, 1, List.of()), client, connection);
    }

    @GET
    @Path("{connectionId}/deny-list.csv")
    @Produces("text/csv")
    @Operation(summary = "Export the deny list as CSV")
    public Response exportDenyList(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId) {
        String csv = denyLists.exportCsv(caller.get(), Params.id("clientId", clientId),
                Params.id("connectionId", connectionId));
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"deny-list.csv\"").build();
    }

    @PUT
    @Path("{connectionId}/deny-list.csv")
    @Consumes({ "text/csv", MediaType.TEXT_PLAIN })
    @Operation(summary = "Import a CSV deny list (mode=merge, default, or replace); invalid lines are reported")
    public DenyListChange importDenyList(@PathParam("clientId") String clientId,
            @PathParam("connectionId") String connectionId, @QueryParam("mode") String mode, String csv) {
        boolean replace = switch (mode == null ? "merge" : mode) {
            case "merge" -> false;
            case "replace" -> true;
            default -> throw DomainException.invalidField("mode", "must be merge or replace");
        };
        UUID client = Params.id("clientId", clientId);
        UUID connection = Params.id("connectionId", connectionId);
        DenyListService.ImportReport report = denyLists.importCsv(caller.get(), client, connection, csv, replace);
        return change(report, client, connection);
    }

    /** Applies a deny-list change to users right away (or queues it while another run holds the connection). */
    private DenyListChange change(DenyListService.ImportReport report, UUID client, UUID connection) {
        Caller who = caller.get();
        SyncRun run = runs.queueDenyListRun(who, client, connection);
        if (!worker.runNowIfFree(connection, run.id)) {
            worker.wakeUp();
        }
        return new DenyListChange(report.added(), report.alreadyPresent(), report.duplicates(), report.removed(),
                report.invalid(), RunView.of(runs.get(who, client, run.id)));
    }

    // ---------------------------------------------------------------- mapping

    private static ConnectionService.Settings settings(Provider provider, M365Credentials m365,
            GoogleCredentials google, Pool pool, Integer schedule, Boolean enabled, MassDeactivation guard,
            boolean creating) {
        Credentials credentials = null;
        if (provider == Provider.M365) {
            if (google != null) {
                throw DomainException.invalidField("google", "does not apply to an M365 connection");
            }
            if (m365 != null) {
                credentials = new Credentials.M365(m365.tenantId(), m365.clientId(), m365.clientSecret(),
                        m365.certificatePem(), m365.privateKeyPem());
            } else if (creating) {
                throw DomainException.invalidField("m365", "credentials are required");
            }
        } else {
            if (m365 != null) {
                throw DomainException.invalidField("m365", "does not apply to a Google connection");
            }
            if (google != null) {
                JsonNode key = google.serviceAccountKey();
                String keyText = key == null || key.isNull() ? null : key.isTextual() ? key.asText() : key.toString();
                credentials = new Credentials.Google(keyText, google.adminSubject(), google.customerId(),
                        google.domain());
            } else if (creating) {
                throw DomainException.invalidField("google", "credentials are required");
            }
        }
        PoolSpec poolSpec = pool == null ? null : new PoolSpec(pool.allUsers() == null
                ? (pool.groups() == null || pool.groups().isEmpty()) && (pool.orgUnits() == null
                        || pool.orgUnits().isEmpty())
                : pool.allUsers(), pool.groups(), pool.orgUnits(), Boolean.TRUE.equals(pool.includeGuests()));
        return new ConnectionService.Settings(enabled, poolSpec, schedule,
                guard == null ? null : guard.percent(), guard == null ? null : guard.minimum(), credentials);
    }
}
