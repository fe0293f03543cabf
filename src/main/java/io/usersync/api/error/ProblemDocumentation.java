package io.usersync.api.error;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error answers of every operation in the OpenAPI document: RFC 9457 problem details
 * ({@link Problem}) with the stable {@code code} and the offending {@code errors[].field}, for 400, 401, 403,
 * 404 and 409 and as the default response, so API clients see one error format everywhere.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemDocumentation implements OASFilter {

    private static final String SCHEMA = "Problem";
    private static final Map<String, String> ANSWERS = Map.of(
            "400", "Invalid input; errors[].field names each offending field or parameter",
            "401", "Missing, invalid or expired bearer token, or a token without its tenant claims",
            "403", "The caller's role does not allow this operation",
            "404", "No such resource in the caller's tenancy (other tenants' ids answer the same)",
            "409", "Refused by a business rule or a concurrent change; code says which");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            item.getOperations().values().forEach(operation -> {
                APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses()
                        : operation.getResponses();
                ANSWERS.forEach((status, description) -> responses.addAPIResponse(status, problem(description)));
                responses.setDefaultValue(problem("Any other error, as RFC 9457 problem details"));
                operation.setResponses(responses);
            });
        });
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref("#/components/schemas/" + SCHEMA)));
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static Schema problemSchema() {
        Schema field = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string("JSON path of the offending body field, or the parameter name"))
                .addProperty("message", string("Why it was refused"));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details")
                .required(List.of("type", "title", "status", "code"))
                .addProperty("type", string("https://usersync.io/problems/<code>"))
                .addProperty("title", string("Short summary of the problem kind"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string("What happened, for people"))
                .addProperty("instance", string("The request path"))
                .addProperty("code", string("Stable machine-readable problem kind, e.g. last-administrator"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(field));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
