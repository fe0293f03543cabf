package io.usersync.api;

import io.usersync.api.dto.ContractDtos.ContractView;
import io.usersync.api.dto.ContractDtos.CreateContract;
import io.usersync.api.dto.ContractDtos.RenewContract;
import io.usersync.api.dto.ContractDtos.UpgradeContract;
import io.usersync.api.dto.PageView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.billing.api.Contracts;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Annual contracts of a client account, with their invoices. */
@Path("/api/clients/{clientId}/contracts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Annual contracts")
public class ContractResource {

    @Inject
    CurrentCaller caller;

    @Inject
    Contracts contracts;

    @POST
    @Operation(summary = "Make a contract and issue its up-front invoice for the whole term (MSP admins)")
    public Response create(@PathParam("clientId") String clientId, CreateContract body) {
        Params.body(body);
        ContractView contract = ContractView.of(contracts.create(caller.get(), Params.id("clientId", clientId),
                new Contracts.NewContract(TimeParams.date("startDate", body.startDate()), body.termYears(),
                        body.blocks(), body.features(), body.sector(), body.discountList())));
        return Response.created(URI.create("/api/clients/" + contract.clientId() + "/contracts/" + contract.id()))
                .entity(contract).build();
    }

    @GET
    @Operation(summary = "Past, current and upcoming contracts, by start date, with their invoices")
    public PageView<ContractView> list(@PathParam("clientId") String clientId) {
        return new PageView<>(contracts.list(caller.get(), Params.id("clientId", clientId)).stream()
                .map(ContractView::of).toList(), null);
    }

    @GET
    @Path("{contractId}")
    @Operation(summary = "Get a contract with its invoices")
    public ContractView get(@PathParam("clientId") String clientId, @PathParam("contractId") String contractId) {
        return ContractView.of(contracts.get(caller.get(), Params.id("clientId", clientId), contractId(contractId)));
    }

    @POST
    @Path("{contractId}/upgrade")
    @Operation(summary = "Move to more blocks from today; the added users are invoiced pro rata (MSP admins)")
    public ContractView upgrade(@PathParam("clientId") String clientId, @PathParam("contractId") String contractId,
            UpgradeContract body) {
        Params.body(body);
        return ContractView.of(contracts.upgrade(caller.get(), Params.id("clientId", clientId),
                contractId(contractId), body.blocks()));
    }

    @POST
    @Path("{contractId}/renewal")
    @Operation(summary = "Renew: a new contract from the day this one ends, with its up-front invoice (MSP admins)")
    public Response renew(@PathParam("clientId") String clientId, @PathParam("contractId") String contractId,
            RenewContract body) {
        Params.body(body);
        ContractView contract = ContractView.of(contracts.renew(caller.get(), Params.id("clientId", clientId),
                contractId(contractId), body.toRenewal()));
        return Response.created(URI.create("/api/clients/" + contract.clientId() + "/contracts/" + contract.id()))
                .entity(contract).build();
    }

    private static UUID contractId(String text) {
        return Params.id("contractId", text);
    }
}
