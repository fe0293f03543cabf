package io.usersync.common.csv;

import static io.usersync.billing.BillingFixtures.at;
import static io.usersync.billing.BillingFixtures.login;
import static io.usersync.billing.BillingFixtures.loginsAccepted;
import static io.usersync.billing.BillingFixtures.plan;
import static io.usersync.billing.BillingFixtures.user;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.usersync.billing.BillingFixtures;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every CSV export and import goes through {@link Csv}: values that look like formulas are quoted and never
 * rewritten, so an exported deny list imports back to the same list and a report shows each address as stored.
 */
@QuarkusTest
class CsvExportsTest {

    /** Valid addresses a spreadsheet would take for formulas. */
    static final List<String> FORMULA_ADDRESSES = List.of("=1+2@fabrikam.example", "+plus@fabrikam.example",
            "-dash@fabrikam.example", "=cmd|x@fabrikam.example");

    @Inject
    AppClock clock;

    @AfterEach
    void restoreClock() {
        BillingFixtures.restore(clock);
    }

    @Test
    void aDenyListOfFormulaLikeAddressesExportsQuotedAndImportsBackUnchanged() {
        UUID msp = Api.createMsp("csv deny msp");
        UUID client = Api.createClient(msp, "csv deny client", Map.of())[0];
        String base = "/api/clients/" + client + "/connections/" + Api.as(Tokens.operator())
                .body(Map.of("provider", "M365", "m365", Map.of("tenantId", "contoso.onmicrosoft.com",
                        "clientId", "11111111-2222-3333-4444-555555555555", "clientSecret", "s3cret")))
                .post("/api/clients/" + client + "/connections").then().statusCode(201).extract().path("id");
        List<String> entries = new java.util.ArrayList<>(FORMULA_ADDRESSES);
        entries.add("*@contractor.example");
        Api.as(Tokens.operator()).body(Map.of("entries", entries)).post(base + "/deny-list").then()
                .statusCode(anyOf(is(200), is(202)));

        String exported = RestAssured.given().auth().oauth2(Tokens.operator()).get(base + "/deny-list.csv").then()
                .statusCode(200).extract().asString();
        for (String address : FORMULA_ADDRESSES) {
            assertTrue(exported.contains("\r\n\"" + address + "\"\r\n"), "quoted as is: " + exported);
        }
        assertTrue(exported.contains("\r\n*@contractor.example\r\n"), exported);
        assertEquals(Set.copyOf(entries), Csv.read(exported, "csv").stream().skip(1).map(Csv.Line::first)
                .collect(Collectors.toSet()), "a CSV reader gets exactly the stored entries");

        // the export, imported in replace mode, is the same list: nothing added, nothing removed
        RestAssured.given().auth().oauth2(Tokens.operator()).contentType("text/csv")
                .body(exported.getBytes(StandardCharsets.UTF_8)).put(base + "/deny-list.csv?mode=replace").then()
                .statusCode(anyOf(is(200), is(202))).body("added", equalTo(0)).body("removed", equalTo(0))
                .body("alreadyPresent", equalTo(entries.size())).body("invalid", hasSize(0));
    }

    @Test
    void anImportThatIsNotCsvIsRefusedWithItsLineAndChangesNothing() {
        UUID msp = Api.createMsp("csv bad msp");
        UUID client = Api.createClient(msp, "csv bad client", Map.of())[0];
        String base = "/api/clients/" + client + "/connections/" + Api.as(Tokens.operator())
                .body(Map.of("provider", "M365", "m365", Map.of("tenantId", "contoso.onmicrosoft.com",
                        "clientId", "11111111-2222-3333-4444-555555555555", "clientSecret", "s3cret")))
                .post("/api/clients/" + client + "/connections").then().statusCode(201).extract().path("id");
        RestAssured.given().auth().oauth2(Tokens.operator()).contentType("text/csv")
                .body("entry\r\nfirst@example.com\r\nnot-an-address\r\n\"open@example.com\r\nlast@example.com\r\n")
                .put(base + "/deny-list.csv").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("csv"))
                .body("errors[0].message", equalTo("line 4: a quoted field is not closed (a double quote inside a"
                        + " field is written as two)"));
        Api.as(Tokens.operator()).get(base + "/deny-list").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void theLicenceUsersReportShowsFormulaLikeAddressesAndNamesAsStored() {
        at(clock, "2025-03-01T00:00:00Z");
        UUID msp = Api.createMsp("csv report msp");
        UUID client = Api.createClient(msp, "csv report client", Map.of())[0];
        UUID plus = user(client, "+Plus", "=SUM(1+1)", "+plus@fabrikam.example");
        UUID formula = user(client, "@Cmd", "-Dash", "=1+2@fabrikam.example");
        plan(msp, client, "MAU", 10, "2025-03-01T00:00:00Z");
        at(clock, "2025-03-05T00:00:00Z");
        loginsAccepted(msp, client, List.of(login("csv-1", plus, "2025-03-02T09:00:00Z"),
                login("csv-2", formula, "2025-03-03T09:00:00Z")));

        String report = RestAssured.given().auth().oauth2(Tokens.mspAdmin(msp)).accept("text/csv")
                .get("/api/clients/" + client + "/licence-usage/users.csv").then().statusCode(200).extract()
                .asString();
        assertTrue(report.contains("\r\n\"+plus@fabrikam.example\",\"+Plus =SUM(1+1)\","), report);
        assertTrue(report.contains("\r\n\"=1+2@fabrikam.example\",\"@Cmd -Dash\","), report);
        List<Csv.Line> rows = Csv.read(report, "csv");
        assertEquals(Map.of("+plus@fabrikam.example", "+Plus =SUM(1+1)", "=1+2@fabrikam.example", "@Cmd -Dash"),
                rows.stream().skip(1).collect(Collectors.toMap(Csv.Line::first, l -> l.fields().get(1))),
                "never prefixed with an apostrophe");
    }
}
