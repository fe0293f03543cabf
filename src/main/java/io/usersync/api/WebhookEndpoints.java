package io.usersync.api;

import io.usersync.api.dto.PageView;
import io.usersync.api.dto.WebhookDtos.CreateWebhookEndpoint;
import io.usersync.api.dto.WebhookDtos.RecoverDeliveries;
import io.usersync.api.dto.WebhookDtos.RecoverResult;
import io.usersync.api.dto.WebhookDtos.RotateSecret;
import io.usersync.api.dto.WebhookDtos.UpdateWebhookEndpoint;
import io.usersync.api.dto.WebhookDtos.WebhookAttemptView;
import io.usersync.api.dto.WebhookDtos.WebhookDeliveryDetailView;
import io.usersync.api.dto.WebhookDtos.WebhookDeliveryView;
import io.usersync.api.dto.WebhookDtos.WebhookEndpointView;
import io.usersync.common.Cursor;
import io.usersync.common.error.DomainException;
import io.usersync.tenant.Caller;
import io.usersync.webhook.WebhookService;
import io.usersync.webhook.WebhookService.Owner;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The webhook operations shared by the MSP's and the client account's endpoint collections
 * ({@link MspWebhookResource}, {@link ClientWebhookResource}): parameter parsing and mapping only.
 */
final class WebhookEndpoints {

    private WebhookEndpoints() {
    }

    static Response create(WebhookService service, Caller caller, Owner owner, String base,
            CreateWebhookEndpoint body) {
        Params.body(body);
        WebhookEndpointView view = WebhookEndpointView.of(service.create(caller, owner, body.url(),
                body.description(), body.eventTypes()));
        return Response.created(URI.create(base + "/" + view.id())).entity(view).build();
    }

    static List<WebhookEndpointView> list(WebhookService service, Caller caller, Owner owner) {
        return service.list(caller, owner).stream().map(WebhookEndpointView::of).toList();
    }

    static WebhookEndpointView get(WebhookService service, Caller caller, Owner owner, String endpointId) {
        return WebhookEndpointView.of(service.get(caller, owner, Params.id("endpointId", endpointId)));
    }

    static WebhookEndpointView update(WebhookService service, Caller caller, Owner owner, String endpointId,
            UpdateWebhookEndpoint body) {
        Params.body(body);
        return WebhookEndpointView.of(service.update(caller, owner, Params.id("endpointId", endpointId), body.url(),
                body.description(), body.eventTypes(), body.enabled()));
    }

    static void delete(WebhookService service, Caller caller, Owner owner, String endpointId) {
        service.delete(caller, owner, Params.id("endpointId", endpointId));
    }

    static WebhookEndpointView rotate(WebhookService service, Caller caller, Owner owner, String endpointId,
            RotateSecret body) {
        Integer minutes = body == null ? null : body.overlapMinutes();
        if (minutes != null && minutes < 0) {
            throw DomainException.invalidField("overlapMinutes", "must not be negative");
        }
        return WebhookEndpointView.of(service.rotateSecret(caller, owner, Params.id("endpointId", endpointId),
                minutes == null ? null : Duration.ofMinutes(minutes)));
    }

    static PageView<WebhookDeliveryView> deliveries(WebhookService service, Caller caller, Owner owner,
            String endpointId, String status, String cursor, String limit) {
        return PageView.of(service.deliveries(caller, owner, Params.id("endpointId", endpointId), status,
                Cursor.decode(cursor), Cursor.limit(limit)), WebhookDeliveryView::of);
    }

    static WebhookDeliveryDetailView delivery(WebhookService service, Caller caller, Owner owner, String endpointId,
            String deliveryId) {
        return WebhookDeliveryDetailView.of(service.delivery(caller, owner, Params.id("endpointId", endpointId),
                Params.id("deliveryId", deliveryId)));
    }

    static PageView<WebhookAttemptView> attempts(WebhookService service, Caller caller, Owner owner,
            String endpointId, String cursor, String limit) {
        return PageView.of(service.attempts(caller, owner, Params.id("endpointId", endpointId),
                Cursor.decode(cursor), Cursor.limit(limit)), WebhookAttemptView::of);
    }

    static Response redeliver(WebhookService service, Caller caller, Owner owner, String endpointId,
            String deliveryId) {
        return Response.accepted(WebhookDeliveryView.of(service.redeliver(caller, owner,
                Params.id("endpointId", endpointId), Params.id("deliveryId", deliveryId)))).build();
    }

    static Response recover(WebhookService service, Caller caller, Owner owner, String endpointId,
            RecoverDeliveries body) {
        Params.body(body);
        return Response.accepted(new RecoverResult(service.recover(caller, owner,
                Params.id("endpointId", endpointId), body.since()))).build();
    }
}
