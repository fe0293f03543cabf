package io.usersync.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import io.usersync.testing.openapi.OpenApiDocument;
import io.usersync.testing.openapi.Operation;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and Swagger UI, and the error format they promise. */
@QuarkusTest
class ApiDocumentTest {

    @Test
    void theOpenApiDocumentListsTheApiWithItsProblemAnswers() {
        OpenApiDocument document = OpenApiDocument.fetch();
        List<Operation> operations = document.operations();
        assertTrue(operations.size() >= TenancyMatrixTest.KNOWN.size());
        for (Operation operation : operations) {
            var responses = document.root().path("paths").path(operation.path())
                    .path(operation.method().toLowerCase(java.util.Locale.ROOT)).path("responses");
            for (String status : List.of("400", "401", "403", "404", "409", "default")) {
                assertEquals("#/components/schemas/Problem", responses.path(status).path("content")
                        .path("application/problem+json").path("schema").path("$ref").asText(),
                        operation.key() + " documents its " + status + " answer as problem+json");
            }
        }
        assertTrue(document.root().path("components").path("schemas").path("Problem").path("properties")
                .has("errors"));
        assertTrue(document.root().path("paths").path("/api/clients/{clientId}/users").path("post")
                .path("responses").has("201"), "creations are documented as 201");
        given().accept("application/yaml").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/msps/{mspId}/clients"));
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("swagger"));
    }

    @Test
    void oversizedBodiesAreRefusedAsProblemsBeforeTheyAreRead() throws Exception {
        // java.net.http reads the early answer although the server stops reading the body
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] body = ("{\"name\":\"" + "a".repeat(2_200_000) + "\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/msps"))
                .header("Authorization", "Bearer " + Tokens.operator()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("\"code\":\"payload-too-large\""), response.body());
    }

    @Test
    void operationsWithoutABodyIgnoreTheContentTypeHeader() {
        UUID msp = Api.createMsp("bodiless msp");
        UUID client = Api.createClient(msp, "bodiless client", Map.of())[0];
        UUID user = Api.createUser(client, "bodiless@example.com", true);
        String path = "/api/clients/" + client + "/users/" + user;
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json")) {
            given().auth().oauth2(Tokens.operator()).contentType(type).post(path + "/deactivate").then()
                    .statusCode(200).body("active", equalTo(false));
            given().auth().oauth2(Tokens.operator()).contentType(type).post(path + "/activate").then()
                    .statusCode(200).body("active", equalTo(true));
            given().auth().oauth2(Tokens.operator()).contentType(type).get(path).then().statusCode(200);
        }
        // a body-taking operation still insists on JSON, naming the header
        given().auth().oauth2(Tokens.operator()).contentType("text/plain").body("admin=true").put(path + "/role")
                .then().statusCode(415).contentType("application/problem+json")
                .body("errors[0].field", equalTo("Content-Type"));
    }
}
