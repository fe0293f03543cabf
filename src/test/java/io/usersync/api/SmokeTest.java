package io.usersync.api;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SmokeTest {

    @Test
    void createsMspClientAndUsers() {
        UUID msp = Api.createMsp("Acme MSP");
        UUID[] client = Api.createClient(msp, "Client One", Map.of());
        Api.createUser(client[0], "bob@example.com", true);
        Api.as(Tokens.mspAdmin(msp)).get("/api/clients/" + client[0] + "/users").then().statusCode(200)
                .body("totalActive", equalTo(2));
    }
}
