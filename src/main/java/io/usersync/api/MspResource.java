package io.usersync.api;

import io.usersync.api.dto.ClientDtos.ClientView;
import io.usersync.api.dto.ClientDtos.CreateClient;
import io.usersync.api.dto.ClientDtos.CreatedClient;
import io.usersync.api.dto.MspDtos.CreateMsp;
import io.usersync.api.dto.MspDtos.MspView;
import io.usersync.api.dto.MspDtos.UpdateMsp;
import io.usersync.api.dto.PageView;
import io.usersync.api.dto.UserDtos.UserView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.common.Cursor;
import io.usersync.directory.ClientAccounts;
import io.usersync.directory.UserService;
import io.usersync.tenant.ClientStatus;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** MSPs (operators) and the client accounts of an MSP. */
@Path("/api/msps")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "MSPs")
public class MspResource {

    @Inject
    CurrentCaller caller;

    @Inject
    TenantService tenants;

    @Inject
    ClientAccounts clients;

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Create an MSP (operators only)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = MspView.class)))
    public Response create(@Valid CreateMsp body) {
        Params.body(body);
        MspView msp = MspView.of(tenants.createMsp(caller.get(), body.name(),
                body.paymentMethodOnFile() != null && body.paymentMethodOnFile()));
        return Response.created(URI.create("/api/msps/" + msp.id())).entity(msp).build();
    }

    @GET
    @Operation(summary = "List MSPs (operators only)")
    public PageView<MspView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return PageView.of(tenants.listMsps(caller.get(), Cursor.decode(cursor), Cursor.limit(limit)), MspView::of);
    }

    @GET
    @Path("{mspId}")
    @Operation(summary = "Get an MSP")
    public MspView get(@PathParam("mspId") String mspId) {
        return MspView.of(tenants.getMsp(caller.get(), Params.id("mspId", mspId)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("{mspId}")
    @Operation(summary = "Rename an MSP (operators) or record its payment method on file")
    public MspView update(@PathParam("mspId") String mspId, @Valid UpdateMsp body) {
        Params.body(body);
        return MspView.of(tenants.updateMsp(caller.get(), Params.id("mspId", mspId), body.name(),
                body.paymentMethodOnFile()));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("{mspId}/clients")
    @Operation(summary = "Create a client account with its first administrator")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedClient.class)))
    public Response createClient(@PathParam("mspId") String mspId, @Valid CreateClient body) {
        Params.body(body);
        ClientAccounts.Onboarded created = clients.create(caller.get(), Params.id("mspId", mspId), body.name(),
                body.status(), body.billingModel(), body.userLimit(),
                new UserService.NewUser(body.administrator().firstName(), body.administrator().lastName(),
                        body.administrator().email(), true, true));
        return Response.created(URI.create("/api/clients/" + created.client().id))
                .entity(new CreatedClient(ClientView.of(created.client()), UserView.of(created.administrator())))
                .build();
    }

    @GET
    @Path("{mspId}/clients")
    @Operation(summary = "List the client accounts of an MSP")
    public PageView<ClientView> listClients(@PathParam("mspId") String mspId, @QueryParam("status") String status,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return PageView.of(tenants.listClients(caller.get(), Params.id("mspId", mspId),
                Params.enumValue("status", status, ClientStatus.class), Cursor.decode(cursor), Cursor.limit(limit)),
                ClientView::of);
    }
}
