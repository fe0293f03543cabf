package io.usersync.testing.openapi;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service's own OpenAPI document ({@code /q/openapi?format=json}), read by the tenancy matrix and the
 * hostile-input properties so that every operation, including those added later, is exercised without being
 * listed by hand.
 */
public final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** Fetches the live document from the service RestAssured points at. */
    public static OpenApiDocument fetch() {
        String json = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        try {
            return new OpenApiDocument(new ObjectMapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the OpenAPI document is not JSON", e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Every operation under {@code /api/}, in document order. */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                List<Operation.Parameter> parameters = new ArrayList<>();
                for (JsonNode source : List.of(path.getValue().path("parameters"), op.getValue().path("parameters"))) {
                    for (JsonNode p : source) {
                        JsonNode param = resolve(p);
                        parameters.add(new Operation.Parameter(param.path("name").asText(),
                                param.path("in").asText(), param.path("required").asBoolean(false),
                                param.path("schema")));
                    }
                }
                Operation.RequestBody body = null;
                JsonNode requestBody = resolve(op.getValue().path("requestBody"));
                if (!requestBody.isMissingNode()) {
                    Iterator<Map.Entry<String, JsonNode>> contents = requestBody.path("content").fields();
                    if (contents.hasNext()) {
                        Map.Entry<String, JsonNode> content = contents.next();
                        body = new Operation.RequestBody(content.getKey(), content.getValue().path("schema"),
                                requestBody.path("required").asBoolean(false));
                    }
                }
                operations.add(new Operation(op.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                        List.copyOf(parameters), body));
            }
        }
        return operations;
    }

    /** Whether the document has this operation (method upper-case). */
    public boolean has(String method, String path) {
        return root.path("paths").path(path).has(method.toLowerCase(java.util.Locale.ROOT));
    }

    /** Follows {@code $ref}s to the schema (or parameter, body) they name. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current.has("$ref") && hops < 20; hops++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("external $ref " + ref);
            }
            current = root.at(ref.substring(1));
        }
        return current;
    }

    /** The component name a schema refers to, or null for an inline schema. */
    public static String refName(JsonNode schema) {
        String ref = schema.path("$ref").asText(null);
        return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }
}
