package io.usersync.directory;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Creating users through the API: look-alike addresses are warned about, invisible characters refused. */
@QuarkusTest
class LookalikeEmailsTest {

    private static io.restassured.response.ValidatableResponse create(UUID client, String first, String email) {
        return Api.as(Tokens.operator()).body(Map.of("firstName", first, "lastName", "Tester", "email", email))
                .post("/api/clients/" + client + "/users").then();
    }

    @Test
    void aLookAlikeAddressIsCreatedWithANoticeNamingTheOtherOne() {
        UUID msp = Api.createMsp("lookalike msp");
        UUID client = Api.createClient(msp, "lookalike client", Map.of())[0];
        String anna = create(client, "Anna", "anna1@contoso.example").statusCode(201).body("notice", nullValue())
                .extract().path("id");
        create(client, "Annal", "annal@contoso.example").statusCode(201)
                .body("email", equalTo("annal@contoso.example"))
                .body("notice", allOf(containsString("looks like anna1@contoso.example"), containsString(anna)));
        create(client, "Cyril", "p\u0430ypal@contoso.example").statusCode(201).body("notice", nullValue());
        create(client, "Paul", "paypal@contoso.example").statusCode(201)
                .body("notice", containsString("looks like p\u0430ypal@contoso.example"));
        create(client, "Bob", "bob@contoso.example").statusCode(201).body("notice", nullValue());

        // another client account's addresses are not compared
        UUID other = Api.createClient(msp, "lookalike other", Map.of())[0];
        create(other, "Anna", "anna1@contoso.example").statusCode(201).body("notice", nullValue());
    }

    @Test
    void invisibleCharactersAreRefusedWithTheirCodePoint() {
        UUID msp = Api.createMsp("invisible msp");
        UUID client = Api.createClient(msp, "invisible client", Map.of())[0];
        create(client, "Zed", "zed@ex\u200Dample.com").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("email"))
                .body("errors[0].message", equalTo("must not contain invisible characters (U+200D)"));
        create(client, "Zed", "\u0301@example.com").statusCode(400)
                .body("errors[0].message", equalTo("must not start with a combining mark"));
        create(client, "\u200B\u200D", "zed@example.com").statusCode(400)
                .body("errors[0].field", equalTo("firstName"))
                .body("errors[0].message", containsString("visible character"));
        create(client, "Zed", "zed@faße.example").statusCode(201).body("email", equalTo("zed@faße.example"));
        create(client, "Zed", "zed@fasse.example").statusCode(201); // another domain, not a duplicate (409)
    }
}
