package io.usersync.api;

import io.usersync.api.dto.PageView;
import io.usersync.api.dto.WebhookDtos.CreateWebhookEndpoint;
import io.usersync.api.dto.WebhookDtos.RecoverDeliveries;
import io.usersync.api.dto.WebhookDtos.RotateSecret;
import io.usersync.api.dto.WebhookDtos.UpdateWebhookEndpoint;
import io.usersync.api.dto.WebhookDtos.WebhookAttemptView;
import io.usersync.api.dto.WebhookDtos.WebhookDeliveryDetailView;
import io.usersync.api.dto.WebhookDtos.WebhookDeliveryView;
import io.usersync.api.dto.WebhookDtos.WebhookEndpointView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.tenant.Role;
import io.usersync.webhook.WebhookService;
import io.usersync.webhook.WebhookService.Owner;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Webhook endpoints of a client account (they receive that client account's events), signed per Standard Webhooks, and their delivery log. Operators, the MSP's administrators and the client account's administrators; other tenants get 404.
 */
@Path("/api/clients/{clientId}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Webhooks")
public class ClientWebhookResource {

    @Inject
    CurrentCaller caller;

    @Inject
    WebhookService webhooks;

    @POST
    @Operation(summary = "Register an endpoint; the answer shows its signing secret, once")
    public Response create(@PathParam("clientId") String clientId, CreateWebhookEndpoint body) {
        return WebhookEndpoints.create(webhooks, caller.get(), owner(clientId), "/api/clients/" + clientId + "/webhooks",
                body);
    }

    @GET
    @Operation(summary = "The endpoints (never their secrets)")
    public List<WebhookEndpointView> list(@PathParam("clientId") String clientId) {
        return WebhookEndpoints.list(webhooks, caller.get(), owner(clientId));
    }

    @GET
    @Path("{endpointId}")
    @Operation(summary = "One endpoint")
    public WebhookEndpointView get(@PathParam("clientId") String clientId,
            @PathParam("endpointId") String endpointId) {
        return WebhookEndpoints.get(webhooks, caller.get(), owner(clientId), endpointId);
    }

    @PATCH
    @Path("{endpointId}")
    @Operation(summary = "Change URL, event types or description; enable or disable")
    public WebhookEndpointView update(@PathParam("clientId") String clientId,
            @PathParam("endpointId") String endpointId, UpdateWebhookEndpoint body) {
        return WebhookEndpoints.update(webhooks, caller.get(), owner(clientId), endpointId, body);
    }

    @DELETE
    @Path("{endpointId}")
    @Operation(summary = "Delete an endpoint with its deliveries")
    public void delete(@PathParam("clientId") String clientId, @PathParam("endpointId") String endpointId) {
        WebhookEndpoints.delete(webhooks, caller.get(), owner(clientId), endpointId);
    }

    @POST
    @Path("{endpointId}/rotate-secret")
    @Operation(summary = "New signing secret (shown once); the previous one keeps signing during the overlap")
    public WebhookEndpointView rotateSecret(@PathParam("clientId") String clientId,
            @PathParam("endpointId") String endpointId, RotateSecret body) {
        return WebhookEndpoints.rotate(webhooks, caller.get(), owner(clientId), endpointId, body);
    }

    @GET
    @Path("{endpointId}/deliveries")
    @Operation(summary = "Deliveries to the endpoint, newest first (status=PENDING, SUCCEEDED or FAILED)")
    public PageView<WebhookDeliveryView> deliveries(@PathParam("clientId") String clientId,
            @PathParam("endpointId") String endpointId, @QueryParam("status") String status,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return WebhookEndpoints.deliveries(webhooks, caller.get(), owner(clientId), endpointId, status, cursor,
                limit);
    }

    @GET
    @Path("{endpointId}/deliveries/{deliveryId}")
    @Operation(summary = "One delivery with its attempts")
    public WebhookDeliveryDetailView delivery(@PathParam("clientId") String clientId,
            @PathParam("endpointId") String endpointId, @PathParam("deliveryId") String deliveryId) {
        return WebhookEndpoints.delivery(webhooks, caller.get(), owner(clientId), endpointId, deliveryId);
    }

    @POST
    @Path("{endpointId}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivery again now")
    public Response redeliver(@PathParam("clientId") String clientId, @PathParam("endpointId") String endpointId,
            @PathParam("deliveryId") String deliveryId) {
        return WebhookEndpoints.redeliver(webhooks, caller.get(), owner(clientId), endpointId, deliveryId);
    }

    @POST
    @Path("{endpointId}/recover")
    @Operation(summary = "Send again every failed delivery since an instant")
    public Response recover(@PathParam("clientId") String clientId, @PathParam("endpointId") String endpointId,
            RecoverDeliveries body) {
        return WebhookEndpoints.recover(webhooks, caller.get(), owner(clientId), endpointId, body);
    }

    @GET
    @Path("{endpointId}/attempts")
    @Operation(summary = "The delivery log: every attempt with status code and latency, newest first")
    public PageView<WebhookAttemptView> attempts(@PathParam("clientId") String clientId,
            @PathParam("endpointId") String endpointId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return WebhookEndpoints.attempts(webhooks, caller.get(), owner(clientId), endpointId, cursor, limit);
    }

    private static Owner owner(String clientId) {
        return Owner.client(Params.id("clientId", clientId));
    }
}
