package io.usersync.api;

import io.usersync.api.dto.ApiKeyDtos.ApiKeyView;
import io.usersync.api.dto.ApiKeyDtos.CreateApiKey;
import io.usersync.api.dto.ApiKeyDtos.CreatedApiKey;
import io.usersync.api.security.CurrentCaller;
import io.usersync.tenant.Caller;
import io.usersync.tenant.Role;
import io.usersync.tenant.access.ApiKey;
import io.usersync.tenant.access.ApiKeyService;
import io.usersync.tenant.access.ApiKeyService.Scope;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A client account's API keys (client-admin rights); managed only by people, never by another key. */
@Path("/api/clients/{clientId}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "API keys")
public class ClientApiKeyResource {

    @Inject
    CurrentCaller caller;

    @Inject
    ApiKeyService keys;

    @Inject
    ApiKeyViews views;

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Create an API key with the client admin's rights; the secret is shown only in this answer")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CreatedApiKey.class)))
    public Response create(@PathParam("clientId") String clientId, @Valid CreateApiKey body) {
        Caller person = caller.requirePerson();
        Scope scope = keys.clientScope(person, Params.id("clientId", clientId));
        return views.created("/api/clients/" + clientId + "/api-keys/", person, scope, Params.body(body));
    }

    @GET
    @Operation(summary = "The client account's API keys, newest first, with their last use")
    public List<ApiKeyView> list(@PathParam("clientId") String clientId) {
        return views.list(keys.clientScope(caller.requirePerson(), Params.id("clientId", clientId)));
    }

    @GET
    @Path("{keyId}")
    @Operation(summary = "One API key of the client account")
    public ApiKeyView get(@PathParam("clientId") String clientId, @PathParam("keyId") String keyId) {
        return views.view(keys.get(keys.clientScope(caller.requirePerson(), Params.id("clientId", clientId)),
                Params.id("keyId", keyId)));
    }

    @DELETE
    @Path("{keyId}")
    @Operation(summary = "Revoke an API key of the client account at once (it stays listed as REVOKED)")
    public ApiKeyView revoke(@PathParam("clientId") String clientId, @PathParam("keyId") String keyId) {
        Caller person = caller.requirePerson();
        return views.view(keys.revoke(person, keys.clientScope(person, Params.id("clientId", clientId)),
                Params.id("keyId", keyId)));
    }
}
