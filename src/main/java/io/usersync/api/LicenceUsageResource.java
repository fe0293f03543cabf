package io.usersync.api;

import io.usersync.api.dto.LicenceDtos.UsageView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.billing.api.Licensing;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Usage of a client account's licence plans, computed at request time. The plan is {@code planId}, else the one
 * covering {@code at} (an instant, or a date meaning 00:00 UTC), else the current one.
 */
@Path("/api/clients/{clientId}/licence-usage")
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Licence plans")
public class LicenceUsageResource {

    static final String CSV = "text/csv";

    @Inject
    CurrentCaller caller;

    @Inject
    Licensing licensing;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Plan, consumption, remaining and monthly breakdown")
    public UsageView usage(@PathParam("clientId") String clientId, @QueryParam("planId") String planId,
            @QueryParam("at") String at) {
        return UsageView.of(licensing.usage(caller.get(), Params.id("clientId", clientId), plan(planId),
                TimeParams.instantOrDate("at", at)));
    }

    @GET
    @Path("consumption.csv")
    @Produces(CSV)
    @Operation(summary = "Consumption report as CSV: one row per month")
    public Response consumption(@PathParam("clientId") String clientId, @QueryParam("planId") String planId,
            @QueryParam("at") String at) {
        return csv(licensing.consumptionReport(caller.get(), Params.id("clientId", clientId), plan(planId),
                TimeParams.instantOrDate("at", at)));
    }

    @GET
    @Path("users.csv")
    @Produces(CSV)
    @Operation(summary = "Users report as CSV: one row per user of the client account during the plan, logged in "
            + "or not")
    public Response users(@PathParam("clientId") String clientId, @QueryParam("planId") String planId,
            @QueryParam("at") String at) {
        return csv(licensing.usersReport(caller.get(), Params.id("clientId", clientId), plan(planId),
                TimeParams.instantOrDate("at", at)));
    }

    private static UUID plan(String planId) {
        return planId == null || planId.isEmpty() ? null : Params.id("planId", planId);
    }

    private static Response csv(Licensing.CsvReport report) {
        return Response.ok(report.content(), CSV + "; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + report.fileName() + "\"")
                .build();
    }
}
