package io.usersync.api;

import io.usersync.api.dto.LicenceDtos.IngestView;
import io.usersync.api.dto.LicenceDtos.LoginBatch;
import io.usersync.api.security.CurrentCaller;
import io.usersync.billing.api.Licensing;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Login events of a client account's users, which licence plans are measured by. */
@Path("/api/clients/{clientId}/licence-logins")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Licence plans")
public class LicenceLoginResource {

    @Inject
    CurrentCaller caller;

    @Inject
    Licensing licensing;

    @POST
    @Operation(summary = "Ingest a batch of login events (MSP admins); idempotent by event id, bad lines rejected "
            + "alone with a reason")
    public IngestView ingest(@PathParam("clientId") String clientId, LoginBatch body) {
        Params.body(body);
        return IngestView.of(licensing.ingestLogins(caller.get(), Params.id("clientId", clientId),
                body.events() == null ? null : body.events().stream()
                        .map(e -> e == null ? null : new Licensing.LoginLine(e.eventId(), e.userId(), e.occurredAt()))
                        .toList()));
    }
}
