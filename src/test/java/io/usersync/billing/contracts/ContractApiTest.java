package io.usersync.billing.contracts;

import static io.usersync.billing.BillingFixtures.contractClient;
import static io.usersync.billing.BillingFixtures.as;
import static io.usersync.billing.BillingFixtures.at;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.usersync.billing.BillingFixtures;
import io.usersync.billing.api.Contracts;
import io.usersync.common.time.AppClock;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ContractApiTest {

    @Inject
    AppClock clock;

    @Inject
    Contracts contracts;

    @AfterEach
    void restoreClock() {
        BillingFixtures.restore(clock);
    }

    /** Base 30.00, uLearn 5.00, uPhish 10.00, uBreach 8.00, uPolicy 4.00 GBP; 2y 5 %, 3y 10 %; charity 15 %. */
    static Map<String, Object> priceList(long base) {
        Map<String, Object> body = new HashMap<>();
        body.put("currency", "GBP");
        body.put("basePricePerUserYear", base);
        body.put("featurePricesPerUserYear", Map.of("ULEARN", 500, "UPHISH", 1000, "UBREACH", 800, "UPOLICY", 400));
        body.put("twoYearDiscountPercent", 5);
        body.put("threeYearDiscountPercent", 10);
        body.put("sectorDiscountPercent", Map.of("CHARITY", 15, "EDUCATION", 12.5));
        return body;
    }

    static UUID mspWithPriceList(String name, long base) {
        UUID msp = Api.createMsp(name);
        Api.as(Tokens.operator()).body(priceList(base)).put("/api/msps/" + msp + "/contract-price-list").then()
                .statusCode(200).body("isDefault", equalTo(false));
        return msp;
    }

    static String contractsPath(UUID client) {
        return "/api/clients/" + client + "/contracts";
    }

    static UUID createContract(UUID msp, UUID client, Map<String, Object> body) {
        return UUID.fromString(Api.as(Tokens.mspAdmin(msp)).body(body).post(contractsPath(client)).then()
                .statusCode(201).extract().path("id"));
    }

    static Integer userLimit(UUID client) {
        return Api.as(Tokens.operator()).get("/api/clients/" + client).then().statusCode(200).extract()
                .path("userLimit");
    }

    @Test
    void priceListDefaultsUntilAnOperatorSetsOne() {
        UUID msp = Api.createMsp("price list msp");
        String path = "/api/msps/" + msp + "/contract-price-list";
        as(Tokens.mspAdmin(msp)).get(path).then().statusCode(200)
                .body("isDefault", equalTo(true))
                .body("currency", equalTo("GBP"))
                .body("basePricePerUserYear", equalTo(1200))
                .body("featurePricesPerUserYear.UPHISH", equalTo(600))
                .body("threeYearDiscountPercent", equalTo(new BigDecimal("10.00")))
                .body("sectorDiscountPercent.CHARITY", equalTo(new BigDecimal("15.00")));

        Api.as(Tokens.mspAdmin(msp)).body(priceList(3000)).put(path).then().statusCode(403);
        as(Tokens.operator()).body(priceList(3000)).put(path).then().statusCode(200)
                .body("isDefault", equalTo(false))
                .body("basePricePerUserYear", equalTo(3000))
                .body("sectorDiscountPercent.EDUCATION", equalTo(new BigDecimal("12.50")))
                .body("updatedBy", equalTo("test-operator"));
        as(Tokens.mspAdmin(msp)).get(path).then().statusCode(200).body("basePricePerUserYear", equalTo(3000));

        Map<String, Object> badCurrency = priceList(3000);
        badCurrency.put("currency", "XYZ1");
        Api.as(Tokens.operator()).body(badCurrency).put(path).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("currency"));
        Map<String, Object> badPercent = priceList(3000);
        badPercent.put("twoYearDiscountPercent", 12.345);
        Api.as(Tokens.operator()).body(badPercent).put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("twoYearDiscountPercent"));
        Map<String, Object> missingFeature = priceList(3000);
        missingFeature.put("featurePricesPerUserYear", Map.of("ULEARN", 500, "UPHISH", 1000, "UBREACH", 800));
        Api.as(Tokens.operator()).body(missingFeature).put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("featurePricesPerUserYear.UPOLICY"));

        UUID other = Api.createMsp("someone else");
        UUID client = Api.createClient(msp, "client of price list msp", Map.of())[0];
        Api.as(Tokens.mspAdmin(other)).get(path).then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, client)).get(path).then().statusCode(403);
        RestAssured.given().get(path).then().statusCode(401);
    }

    @Test
    void theWholeTermIsInvoicedUpFrontWithFeaturesAndDiscounts() {
        at(clock, "2025-01-10T09:00:00Z");
        UUID msp = mspWithPriceList("invoice msp", 3000);
        UUID client = contractClient(msp, "charity client");
        UUID contract = createContract(msp, client, Map.of("startDate", "2025-01-10", "termYears", 3, "blocks", 2,
                "features", List.of("UPHISH", "ULEARN"), "sector", "charity"));

        as(Tokens.clientAdmin(msp, client)).get(contractsPath(client) + "/" + contract).then().statusCode(200)
                .body("licensedUsers", equalTo(100))
                .body("endDate", equalTo("2028-01-10"))
                .body("status", equalTo("ACTIVE"))
                .body("currency", equalTo("GBP"))
                .body("sector", equalTo("CHARITY"))
                .body("multiYearDiscountPercent", equalTo(new BigDecimal("10.00")))
                .body("sectorDiscountPercent", equalTo(new BigDecimal("15.00")))
                // (30.00 + 5.00 + 10.00) × 0.90 × 0.85 = 34.425 GBP per user-year
                .body("netPricePerUserYear", equalTo(new BigDecimal("3442.5")))
                .body("invoices", hasSize(1))
                .body("invoices[0].kind", equalTo("INITIAL"))
                .body("invoices[0].effectiveDate", equalTo("2025-01-10"))
                .body("invoices[0].coversUntil", equalTo("2028-01-10"))
                .body("invoices[0].lines.kind", equalTo(List.of("BASE", "FEATURE", "FEATURE",
                        "MULTI_YEAR_DISCOUNT", "SECTOR_DISCOUNT")))
                .body("invoices[0].lines.feature", equalTo(java.util.Arrays.asList(null, "ULEARN", "UPHISH", null,
                        null)))
                // 100 users × 3 years: base 100 × 30.00 × 3, uLearn 100 × 5.00 × 3, uPhish 100 × 10.00 × 3;
                // multi-year 10 % of 13 500.00; charity 15 % of the 12 150.00 left
                .body("invoices[0].lines.amountMinor", equalTo(List.of(900_000, 150_000, 300_000, -135_000,
                        -182_250)))
                .body("invoices[0].lines[0].quantity", equalTo(100))
                .body("invoices[0].lines[0].years", equalTo(3))
                .body("invoices[0].lines[3].percent", equalTo(new BigDecimal("10.00")))
                .body("invoices[0].totalMinor", equalTo(1_032_750))
                .body("invoices[0].payment.status", equalTo("OUTSTANDING"));
        assertEquals(100, userLimit(client), "the licensed count is the client account's user limit");
    }

    @Test
    void anOperatorGrantsAMultiYearAndASectorDiscountOnAOneYearTerm() {
        at(clock, "2025-03-03T09:00:00Z");
        UUID msp = mspWithPriceList("granted msp", 3333);
        UUID client = contractClient(msp, "granted client");
        List<Map<String, Object>> granted = List.of(
                Map.of("kind", "MULTI_YEAR", "name", "sales terms 2025", "percent", new BigDecimal("12.5")),
                Map.of("kind", "SECTOR", "name", "charity", "percent", 7));
        Map<String, Object> body = new HashMap<>(Map.of("termYears", 1, "blocks", 1, "discounts", granted));

        // the party billed never grants itself a discount
        Api.as(Tokens.mspAdmin(msp)).body(body).post(contractsPath(client)).then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
        Map<String, Object> withSector = new HashMap<>(body);
        withSector.put("sector", "CHARITY");
        Api.as(Tokens.operator()).body(withSector).post(contractsPath(client)).then().statusCode(400)
                .body("errors[0].field", equalTo("sector"));
        Map<String, Object> tooPrecise = new HashMap<>(body);
        tooPrecise.put("discounts", List.of(Map.of("kind", "SPECIAL", "name", "x", "percent",
                new BigDecimal("1.00001"))));
        Api.as(Tokens.operator()).body(tooPrecise).post(contractsPath(client)).then().statusCode(400)
                .body("errors[0].field", equalTo("discounts[0].percent"));
        as(Tokens.mspAdmin(msp)).get(contractsPath(client)).then().body("items", hasSize(0));

        as(Tokens.operator()).body(body).post(contractsPath(client)).then().statusCode(201)
                .body("discounts.kind", equalTo(List.of("MULTI_YEAR", "SECTOR")))
                .body("discounts.name", equalTo(List.of("sales terms 2025", "CHARITY")))
                .body("discounts.percent", equalTo(List.of(new BigDecimal("12.50"), new BigDecimal("7.00"))))
                .body("multiYearDiscountPercent", equalTo(new BigDecimal("12.50")))
                .body("sector", equalTo("CHARITY"))
                .body("sectorDiscountPercent", equalTo(new BigDecimal("7.00")))
                .body("invoices[0].lines.kind", equalTo(List.of("BASE", "MULTI_YEAR_DISCOUNT", "SECTOR_DISCOUNT")))
                .body("invoices[0].lines[1].description", equalTo(
                        "Multi-year discount (sales terms 2025): 12.50 % of 1666.50 GBP"))
                // 50 × 33.33 = 1 666.50, × 0.875 × 0.93 = 1 356.114375 → 1 356.11, rounded once
                .body("invoices[0].lines.amountMinor", equalTo(List.of(166_650, -20_831, -10_208)))
                .body("invoices[0].totalMinor", equalTo(135_611));
    }

    @Test
    void aMonthlyClientGetsAContractAndContractsNeverOverlap() {
        at(clock, "2025-01-10T09:00:00Z");
        UUID msp = mspWithPriceList("overlap msp", 3000);
        UUID client = contractClient(msp, "annual client");
        Api.as(Tokens.operator()).get("/api/clients/" + client).then().body("billingModel", equalTo("MONTHLY"));
        UUID first = createContract(msp, client, Map.of("termYears", 1, "blocks", 1));
        // the contract in effect makes it ANNUAL (BillingModelTest covers the rule)
        Api.as(Tokens.operator()).get("/api/clients/" + client).then().body("billingModel", equalTo("ANNUAL"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("startDate", "2025-06-01", "termYears", 1, "blocks", 1))
                .post(contractsPath(client)).then().statusCode(409)
                .body("code", equalTo("contract-overlap"))
                .body("errors[0].field", equalTo("startDate"))
                .body("detail", containsString(first.toString()));
        // the day the first one ends is free
        createContract(msp, client, Map.of("startDate", "2026-01-10", "termYears", 2, "blocks", 1));
        as(Tokens.mspAdmin(msp)).get(contractsPath(client)).then().statusCode(200)
                .body("items.startDate", equalTo(List.of("2025-01-10", "2026-01-10")))
                .body("items.status", equalTo(List.of("ACTIVE", "UPCOMING")))
                .body("items[1].multiYearDiscountPercent", equalTo(new BigDecimal("5.00")));

        UUID fresh = contractClient(msp, "validation client");
        String path = contractsPath(fresh);
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("termYears", 4, "blocks", 1)).post(path).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("termYears"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("termYears", 1, "blocks", 0)).post(path).then()
                .statusCode(400).body("errors[0].field", equalTo("blocks"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("startDate", "2021-01-01", "termYears", 1, "blocks", 1))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("startDate"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("startDate", "2030-02-01", "termYears", 1, "blocks", 1))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("startDate"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("startDate", "not a date", "termYears", 1, "blocks", 1))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("startDate"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("termYears", 1, "blocks", 1, "sector", "NGO")).post(path).then()
                .statusCode(400).body("errors[0].field", equalTo("sector"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("termYears", 1, "blocks", 1, "features", List.of("UFOO")))
                .post(path).then().statusCode(400).body("errors[0].field", startsWith("features"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("termYears", 1, "blocks", 1, "colour", "blue")).post(path).then()
                .statusCode(400).body("errors[0].field", equalTo("colour"));
        as(Tokens.mspAdmin(msp)).get(path).then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void aOneBlockContractRefusesThe51stActiveUser() {
        at(clock, "2025-01-10T09:00:00Z");
        UUID msp = mspWithPriceList("limit msp", 3000);
        UUID client = contractClient(msp, "fifty users");
        createContract(msp, client, Map.of("termYears", 1, "blocks", 1));
        assertEquals(50, userLimit(client));
        for (int i = 1; i < 50; i++) { // the administrator is the first active user
            Api.createUser(client, "user" + i + "@fifty.example", true);
        }
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("firstName", "Fifty", "lastName", "One",
                "email", "user51@fifty.example")).post("/api/clients/" + client + "/users").then()
                .statusCode(409).body("code", equalTo("user-limit-reached"));
        UUID inactive = Api.createUser(client, "inactive@fifty.example", false);
        Api.as(Tokens.mspAdmin(msp)).post("/api/clients/" + client + "/users/" + inactive + "/activate").then()
                .statusCode(409).body("code", equalTo("user-limit-reached"));
    }

    @Test
    void anUpgradeInvoicesTheAddedUsersProRataAndRaisesTheLimit() {
        at(clock, "2025-01-01T08:00:00Z");
        UUID msp = mspWithPriceList("upgrade msp", 4000);
        UUID client = contractClient(msp, "upgrading client");
        UUID contract = createContract(msp, client, Map.of("startDate", "2025-01-01", "termYears", 1, "blocks", 1,
                "sector", "CHARITY"));

        at(clock, "2025-07-02T12:00:00Z");
        String upgrade = contractsPath(client) + "/" + contract + "/upgrade";
        as(Tokens.mspAdmin(msp)).body(Map.of("blocks", 2)).post(upgrade).then().statusCode(200)
                .body("blocks", equalTo(2))
                .body("licensedUsers", equalTo(100))
                .body("invoices", hasSize(2))
                .body("invoices[1].kind", equalTo("UPGRADE"))
                .body("invoices[1].blocksBefore", equalTo(1))
                .body("invoices[1].blocksAfter", equalTo(2))
                .body("invoices[1].effectiveDate", equalTo("2025-07-02"))
                .body("invoices[1].lines", hasSize(1))
                .body("invoices[1].lines[0].kind", equalTo("PRORATA_CURRENT_YEAR"))
                .body("invoices[1].lines[0].quantity", equalTo(50))
                // 40.00 GBP less 15 % charity = 34.00 per user-year
                .body("invoices[1].lines[0].unitPriceMinor", equalTo(3400))
                .body("invoices[1].lines[0].days", equalTo(183))
                .body("invoices[1].lines[0].daysInYear", equalTo(365))
                // 50 × 3 400 × 183 / 365 = 85 232.88 → 85 233
                .body("invoices[1].lines[0].amountMinor", equalTo(85_233))
                .body("invoices[1].totalMinor", equalTo(85_233));
        assertEquals(100, userLimit(client));

        Api.as(Tokens.mspAdmin(msp)).body(Map.of("blocks", 1)).post(upgrade).then().statusCode(409)
                .body("code", equalTo("contract-downgrade-refused")).body("errors[0].field", equalTo("blocks"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("blocks", 2)).post(upgrade).then().statusCode(409)
                .body("code", equalTo("conflict"));
        Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("blocks", 3)).post(upgrade).then().statusCode(403);
    }

    @Test
    void anUpgradeInAMultiYearTermAlsoInvoicesTheLaterYears() {
        at(clock, "2025-01-01T08:00:00Z");
        UUID msp = mspWithPriceList("multi-year upgrade msp", 4000);
        UUID client = contractClient(msp, "three-year client");
        UUID contract = createContract(msp, client, Map.of("startDate", "2025-01-01", "termYears", 3, "blocks", 1,
                "sector", "CHARITY"));

        at(clock, "2026-06-15T23:59:00Z");
        as(Tokens.mspAdmin(msp)).body(Map.of("blocks", 3)).post(contractsPath(client) + "/" + contract + "/upgrade")
                .then().statusCode(200)
                // 40.00 × 0.90 (3-year) × 0.85 (charity) = 30.60 per user-year
                .body("netPricePerUserYear", equalTo(3060))
                .body("invoices[1].lines.kind", equalTo(List.of("PRORATA_CURRENT_YEAR", "LATER_YEARS")))
                .body("invoices[1].lines[0].days", equalTo(200))
                .body("invoices[1].lines[1].years", equalTo(1))
                // 100 × 3 060 × 200 / 365 = 167 671.23 → 167 671; the third year 100 × 3 060 = 306 000
                .body("invoices[1].lines.amountMinor", equalTo(List.of(167_671, 306_000)))
                .body("invoices[1].totalMinor", equalTo(473_671));
        assertEquals(150, userLimit(client));
    }

    @Test
    void aRenewalStartsWhenTheContractEndsAndMayLicenseFewerUsers() {
        at(clock, "2025-01-01T08:00:00Z");
        UUID msp = mspWithPriceList("renewal msp", 3000);
        UUID client = contractClient(msp, "renewing client");
        UUID contract = createContract(msp, client, Map.of("startDate", "2025-01-01", "termYears", 1, "blocks", 2,
                "features", List.of("UBREACH")));
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 59; i++) { // 60 active with the administrator
            users.add(Api.createUser(client, "renew" + i + "@renew.example", true));
        }

        at(clock, "2025-11-20T10:00:00Z");
        String renewal = contractsPath(client) + "/" + contract + "/renewal";
        UUID next = UUID.fromString(as(Tokens.mspAdmin(msp)).body(Map.of("blocks", 1, "termYears", 2)).post(renewal)
                .then().statusCode(201)
                .body("startDate", equalTo("2026-01-01"))
                .body("endDate", equalTo("2028-01-01"))
                .body("status", equalTo("UPCOMING"))
                .body("renewalOf", equalTo(contract.toString()))
                .body("featurePricesPerUserYear.UBREACH", equalTo(800))
                .body("sector", nullValue())
                // 50 users × 2 years × (30.00 + 8.00) = 3 800.00, less 5 % = 3 610.00
                .body("invoices[0].lines.amountMinor", equalTo(List.of(300_000, 80_000, -19_000)))
                .body("invoices[0].totalMinor", equalTo(361_000))
                .extract().path("id"));
        Api.as(Tokens.mspAdmin(msp)).body(Map.of()).post(renewal).then().statusCode(409)
                .body("code", equalTo("contract-overlap"));
        assertEquals(100, userLimit(client), "the running contract keeps its limit until it ends");

        at(clock, "2026-01-01T00:05:00Z");
        contracts.applyContractLimits();
        assertEquals(60, userLimit(client), "never below the users already active, so nobody else can join");
        Api.as(Tokens.mspAdmin(msp)).body(Map.of("firstName", "No", "lastName", "Room", "email", "no@renew.example"))
                .post("/api/clients/" + client + "/users").then().statusCode(409);
        for (UUID user : users.subList(0, 10)) {
            BillingFixtures.deactivate(client, user);
        }
        contracts.applyContractLimits();
        assertEquals(50, userLimit(client), "down to the licensed count once enough users are deactivated");
        as(Tokens.clientAdmin(msp, client)).get(contractsPath(client) + "/" + next).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void contractsAreVisibleOnlyInsideTheTenant() {
        at(clock, "2025-01-10T09:00:00Z");
        UUID msp = mspWithPriceList("tenant msp", 3000);
        UUID client = contractClient(msp, "tenant client");
        UUID contract = createContract(msp, client, Map.of("termYears", 1, "blocks", 1));
        UUID sibling = contractClient(msp, "sibling client");
        UUID otherMsp = Api.createMsp("other contracts msp");
        UUID otherClient = contractClient(otherMsp, "other msp client");
        String one = contractsPath(client) + "/" + contract;

        Api.as(Tokens.clientAdmin(msp, client)).get(one).then().statusCode(200);
        Api.as(Tokens.clientAdmin(msp, client)).get(contractsPath(client)).then().statusCode(200)
                .body("items", hasSize(1));
        Api.as(Tokens.clientAdmin(msp, client)).body(Map.of("termYears", 1, "blocks", 1))
                .post(contractsPath(client)).then().statusCode(403);
        Api.as(Tokens.clientAdmin(msp, sibling)).get(one).then().statusCode(404);
        Api.as(Tokens.clientAdmin(msp, sibling)).get(contractsPath(client)).then().statusCode(404);
        Api.as(Tokens.mspAdmin(otherMsp)).get(one).then().statusCode(404);
        Api.as(Tokens.mspAdmin(otherMsp)).body(Map.of("blocks", 2)).post(one + "/upgrade").then().statusCode(404);
        Api.as(Tokens.operator()).get(contractsPath(otherClient) + "/" + contract).then().statusCode(404);
        RestAssured.given().get(one).then().statusCode(401);
        RestAssured.given().auth().oauth2(Tokens.expiredOperator()).get(one).then().statusCode(401);
    }
}
