package io.usersync.api;

import io.usersync.api.dto.ClientDtos.ChangeBillingModel;
import io.usersync.api.dto.ClientDtos.ChangeStatus;
import io.usersync.api.dto.ClientDtos.ChangeTrial;
import io.usersync.api.dto.ClientDtos.ClientView;
import io.usersync.api.dto.ClientDtos.StatusChangeView;
import io.usersync.api.dto.ClientDtos.UpdateClient;
import io.usersync.api.dto.PageView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.common.Cursor;
import io.usersync.directory.ClientAccounts;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One client account: settings, status, billing model and their history. */
@Path("/api/clients/{clientId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Client accounts")
public class ClientResource {

    @Inject
    CurrentCaller caller;

    @Inject
    TenantService tenants;

    @Inject
    ClientAccounts clients;

    @GET
    @Operation(summary = "Get a client account")
    public ClientView get(@PathParam("clientId") String clientId) {
        return ClientView.of(tenants.getClient(caller.get(), Params.id("clientId", clientId)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Operation(summary = "Rename a client account or change its user limit (MSP admins)")
    public ClientView update(@PathParam("clientId") String clientId, @Valid UpdateClient body) {
        Params.body(body);
        return ClientView.of(clients.update(caller.get(), Params.id("clientId", clientId), body.name(),
                body.userLimit(), Boolean.TRUE.equals(body.removeUserLimit())));
    }

    @DELETE
    @Operation(summary = "Delete a client account (MSP admins); it stops being billed from now")
    public void delete(@PathParam("clientId") String clientId) {
        tenants.deleteClient(caller.get(), Params.id("clientId", clientId));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("status")
    @Operation(summary = "Change the status: TRIAL, ACTIVE or SUSPENDED (MSP admins; back to TRIAL operators only)")
    public ClientView changeStatus(@PathParam("clientId") String clientId, @Valid ChangeStatus body) {
        Params.body(body);
        return ClientView.of(tenants.changeStatus(caller.get(), Params.id("clientId", clientId), body.status()));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("billing-model")
    @Operation(summary = "Change the billing model (MSP admins): ANNUAL only while an annual contract covers the "
            + "account, which it follows by itself")
    public ClientView changeBillingModel(@PathParam("clientId") String clientId, @Valid ChangeBillingModel body) {
        Params.body(body);
        return ClientView.of(tenants.changeBillingModel(caller.get(), Params.id("clientId", clientId),
                body.billingModel()));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("trial")
    @Operation(summary = "Move the end of the running trial (MSP admins): from now up to the longest trial")
    public ClientView changeTrial(@PathParam("clientId") String clientId, ChangeTrial body) {
        Params.body(body);
        return ClientView.of(tenants.setTrialEnd(caller.get(), Params.id("clientId", clientId),
                TimeParams.instant("trialEndsAt", body.trialEndsAt())));
    }

    @GET
    @Path("status-history")
    @Operation(summary = "Status and billing-model changes with time and actor")
    public PageView<StatusChangeView> statusHistory(@PathParam("clientId") String clientId,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return PageView.of(tenants.statusHistory(caller.get(), Params.id("clientId", clientId),
                Cursor.decode(cursor), Cursor.limit(limit)), StatusChangeView::of);
    }
}
