package io.usersync.api;

import io.usersync.api.dto.ContractDtos.PriceListBody;
import io.usersync.api.dto.ContractDtos.PriceListView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.billing.api.Contracts;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The annual price list an MSP's contracts are priced with. */
@Path("/api/msps/{mspId}/contract-price-list")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Annual contracts")
public class ContractPriceListResource {

    @Inject
    CurrentCaller caller;

    @Inject
    Contracts contracts;

    @GET
    @Operation(summary = "The MSP's price list, or the configured defaults (operators, the MSP's admins)")
    public PriceListView get(@PathParam("mspId") String mspId) {
        return PriceListView.of(contracts.priceList(caller.get(), Params.id("mspId", mspId)));
    }

    @PUT
    @Operation(summary = "Replace the MSP's price list (operators); existing contracts keep their prices")
    public PriceListView put(@PathParam("mspId") String mspId, PriceListBody body) {
        Params.body(body);
        return PriceListView.of(contracts.updatePriceList(caller.get(), Params.id("mspId", mspId), body.toUpdate()));
    }
}
