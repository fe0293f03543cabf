package io.usersync.api;

import io.usersync.api.dto.ApiKeyDtos.ApiKeyView;
import io.usersync.api.dto.ApiKeyDtos.CreateApiKey;
import io.usersync.api.dto.ApiKeyDtos.CreatedApiKey;
import io.usersync.tenant.Caller;
import io.usersync.tenant.access.ApiKey;
import io.usersync.tenant.access.ApiKeyService;
import io.usersync.tenant.access.ApiKeyService.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** What the two API-key resources answer: views of keys (never a secret, except once at creation). */
@ApplicationScoped
public class ApiKeyViews {

    @Inject
    ApiKeyService keys;

    Response created(String base, Caller person, Scope scope, CreateApiKey body) {
        ApiKeyService.Created created = keys.create(person, scope, body.name(), body.expiresAt());
        return Response.created(URI.create(base + created.key().id))
                .entity(new CreatedApiKey(created.secret(), view(created.key()))).build();
    }

    List<ApiKeyView> list(Scope scope) {
        return keys.list(scope).stream().map(this::view).toList();
    }

    ApiKeyView view(ApiKey key) {
        return ApiKeyView.of(key, keys.status(key), keys.lastUsed(key));
    }
}
