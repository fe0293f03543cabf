package io.usersync.api;

import io.usersync.api.dto.LicenceDtos.CreatePlan;
import io.usersync.api.dto.LicenceDtos.PlanList;
import io.usersync.api.dto.LicenceDtos.PlanView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.billing.api.Licensing;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Licence plans (SEATS, MAU, MAUC) of a client account. Pilots are hidden from client admins. */
@Path("/api/clients/{clientId}/licence-plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Licence plans")
public class LicencePlanResource {

    @Inject
    CurrentCaller caller;

    @Inject
    Licensing licensing;

    @POST
    @Operation(summary = "Create a plan lasting one year, or a shorter pilot (MSP admins); windows never overlap")
    public Response create(@PathParam("clientId") String clientId, CreatePlan body) {
        Params.body(body);
        Licensing.NewPlan plan = new Licensing.NewPlan(body.type(), body.amount(),
                TimeParams.instant("startsAt", body.startsAt()), TimeParams.instant("endsAt", body.endsAt()),
                Boolean.TRUE.equals(body.pilot()));
        PlanView created = PlanView.of(licensing.createPlan(caller.get(), Params.id("clientId", clientId), plan));
        return Response.created(URI.create("/api/clients/" + created.clientId() + "/licence-plans/" + created.id()))
                .entity(created).build();
    }

    @GET
    @Operation(summary = "Past, current and future plans by start; status=PAST|CURRENT|FUTURE filters")
    public PlanList list(@PathParam("clientId") String clientId, @QueryParam("status") String status) {
        return new PlanList(licensing.listPlans(caller.get(), Params.id("clientId", clientId),
                Params.enumValue("status", status, Licensing.PlanStatus.class)).stream().map(PlanView::of).toList());
    }

    @GET
    @Path("{planId}")
    @Operation(summary = "Get a plan")
    public PlanView get(@PathParam("clientId") String clientId, @PathParam("planId") String planId) {
        return PlanView.of(licensing.getPlan(caller.get(), Params.id("clientId", clientId),
                Params.id("planId", planId)));
    }

    @DELETE
    @Path("{planId}")
    @Operation(summary = "Delete a plan that has not started (MSP admins)")
    public void delete(@PathParam("clientId") String clientId, @PathParam("planId") String planId) {
        licensing.deletePlan(caller.get(), Params.id("clientId", clientId), Params.id("planId", planId));
    }
}
