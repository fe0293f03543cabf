package io.usersync.api.idempotency;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/** Documents the {@code Idempotency-Key} header on every POST of the API ({@link IdempotencyFilter}). */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IdempotencyDocumentation implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") && item.getPOST() != null) {
                item.getPOST().addParameter(header());
            }
        });
    }

    private static Parameter header() {
        return OASFactory.createParameter().name(IdempotencyFilter.HEADER).in(Parameter.In.HEADER).required(false)
                .description("Makes retries safe: the first request with this key (per caller, kept 24 h) runs "
                        + "once; a retry with the same request gets its answer again (header Idempotency-Replayed: "
                        + "true); the same key with another request answers 422; while the first still runs, 409.")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1).maxLength(255)
                        .pattern("^[\\x20-\\x7E]+$"));
    }
}
