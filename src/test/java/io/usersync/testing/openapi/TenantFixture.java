package io.usersync.testing.openapi;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.usersync.testing.Api;
import io.usersync.testing.Tokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One tenant's data, created through the API as an operator: an MSP, a client account with its administrator
 * and a plain user, and on demand a directory connection, a deny-list entry and a finished sync run. It answers
 * the value of any path parameter of the OpenAPI document: known ones directly, others by listing the parent
 * collection ({@code GET /a/{x}/things} for {@code /a/{x}/things/{thingId}}), else not at all.
 */
public final class TenantFixture {

    public final String tag;
    public final UUID msp;
    public final UUID client;
    public final UUID admin;
    public final UUID user;
    public final String mspName;
    public final String clientName;
    public final String userEmail;
    private final Set<String> markers = new HashSet<>();
    private final Map<String, String> known = new HashMap<>();
    /** Harvested ids by collection ("/api/msps/{mspId}/webhooks|endpointId"): one name, several collections. */
    private final Map<String, String> harvested = new HashMap<>();
    private boolean webhooks;
    private UUID connection;
    private UUID entry;
    private UUID run;
    private UUID plan;
    private ApiKeyFixture mspKey;
    private ApiKeyFixture clientKey;

    /** An API key of this tenant: its id and secret. */
    public record ApiKeyFixture(UUID id, String secret) {
    }

    private TenantFixture(String tag, UUID msp, String mspName) {
        this.tag = tag;
        this.msp = msp;
        this.mspName = mspName;
        this.clientName = "client " + tag;
        UUID[] created = Api.createClient(msp, clientName, Map.of());
        this.client = created[0];
        this.admin = created[1];
        this.userEmail = "user-" + tag + "@example.com";
        this.user = Api.createUser(client, userEmail, true);
        markers.addAll(List.of(mspName, clientName, userEmail, msp.toString(), client.toString(), admin.toString(),
                user.toString()));
    }

    /** A new MSP with one client account. */
    public static TenantFixture create(String label) {
        String tag = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "msp " + tag;
        return new TenantFixture(tag, Api.createMsp(name), name);
    }

    /** Another client account of the same MSP. */
    public TenantFixture sibling(String label) {
        return new TenantFixture(label + "-" + UUID.randomUUID().toString().substring(0, 8), msp, mspName);
    }

    public String operatorToken() {
        return Tokens.operator();
    }

    public String mspAdminToken() {
        return Tokens.mspAdmin(msp);
    }

    public String clientAdminToken() {
        return Tokens.clientAdmin(msp, client);
    }

    /** Strings that only this tenant's data contains (names, emails, ids). */
    public Set<String> markers() {
        return Set.copyOf(markers);
    }

    /** The id for a parameter or property name this fixture knows, creating the resource on first use. */
    public String id(String name) {
        return switch (name) {
            case "mspId" -> msp.toString();
            case "clientId" -> client.toString();
            case "userId" -> user.toString();
            case "connectionId" -> connection().toString();
            case "entryId" -> entry().toString();
            case "runId" -> run().toString();
            case "index" -> "0"; // a billing period number: the current period
            case "planId" -> plan == null ? null : plan.toString();
            default -> known.get(name);
        };
    }

    /**
     * Values for every path parameter of the operation; a parameter this fixture cannot resolve gets a random
     * id and is listed in {@code unresolved}.
     */
    public Map<String, String> pathValues(Operation operation, OpenApiDocument document, Set<String> unresolved) {
        Map<String, String> values = new HashMap<>();
        for (String name : operation.templateNames()) {
            String value = name.equals("keyId")
                    ? (operation.path().startsWith("/api/msps/") ? mspKey() : clientKey()).id().toString()
                    : harvested.get(collection(operation, name));
            if (value == null && !harvested.keySet().stream().anyMatch(k -> k.endsWith("|" + name))) {
                value = id(name);
            }
            if (value == null) {
                value = harvest(operation, name, document, values);
            }
            if (value == null) {
                unresolved.add(name);
                value = UUID.randomUUID().toString();
            }
            values.put(name, value);
        }
        return values;
    }

    private String harvest(Operation operation, String name, OpenApiDocument document, Map<String, String> values) {
        String marker = "/{" + name + "}";
        int at = operation.path().indexOf(marker);
        String parent = operation.path().substring(0, at);
        if (!document.has("GET", parent)) {
            return null;
        }
        Operation list = new Operation("GET", parent, List.of(), null);
        Response response = Api.as(Tokens.operator()).get(list.expand(values));
        if (response.statusCode() != 200) {
            return null;
        }
        JsonPath json = response.jsonPath();
        Object first = json.get("$") instanceof List ? json.get("[0].id") : json.get("items[0].id");
        if (first != null) {
            known.put(name, first.toString());
            harvested.put(collection(operation, name), first.toString());
            markers.add(first.toString());
            return first.toString();
        }
        return null;
    }

    private static String collection(Operation operation, String name) {
        int at = operation.path().indexOf("/{" + name + "}");
        return (at < 0 ? operation.path() : operation.path().substring(0, at)) + "|" + name;
    }

    /**
     * Creates what an operation needs beyond ids: a licence plan in force, for the licence-usage reports and the
     * operations on one plan; webhook endpoints of the MSP and of the client account, with a delivery each.
     */
    public void prepare(Operation operation) {
        if (operation.path().contains("/webhooks/") && !webhooks) {
            webhooks = true;
            for (String base : List.of("/api/msps/" + msp + "/webhooks", "/api/clients/" + client + "/webhooks")) {
                markers.add(Api.as(Tokens.operator()).body(Map.of("url", "http://127.0.0.1:9/" + tag,
                        "eventTypes", List.of("user.billable.changed"))).post(base).then().statusCode(201).extract()
                        .path("id").toString());
            }
            String email = "hooked-" + tag + "@example.com";
            markers.addAll(List.of(email, Api.createUser(client, email, true).toString()));
        }
        boolean needsPlan = operation.path().contains("/licence-usage") || operation.path().contains("{planId}");
        if (needsPlan && plan == null) {
            String startsAt = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .minus(java.time.Duration.ofHours(1)).toString();
            plan = UUID.fromString(Api.as(Tokens.operator()).body(Map.of("type", "SEATS", "amount", 10,
                    "startsAt", startsAt)).post("/api/clients/" + client + "/licence-plans").then().statusCode(201)
                    .extract().path("id"));
            markers.add(plan.toString());
        }
    }

    /** An API key of the MSP (msp-admin rights), created by an operator on first use. */
    public ApiKeyFixture mspKey() {
        if (mspKey == null) {
            mspKey = createKey("/api/msps/" + msp + "/api-keys", null);
        }
        return mspKey;
    }

    /** An API key of the client account (client-admin rights), created by an operator on first use. */
    public ApiKeyFixture clientKey() {
        if (clientKey == null) {
            clientKey = createKey("/api/clients/" + client + "/api-keys", null);
        }
        return clientKey;
    }

    /** A new API key of the MSP or client account (path of its collection); expiry optional. */
    public ApiKeyFixture createKey(String collection, java.time.Instant expiresAt) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "key " + tag));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        JsonPath created = Api.as(Tokens.operator()).body(body).post(collection).then().statusCode(201).extract()
                .jsonPath();
        ApiKeyFixture key = new ApiKeyFixture(UUID.fromString(created.getString("key.id")), created.getString("secret"));
        markers.add(key.id().toString());
        return key;
    }

    private UUID connection() {
        if (connection == null) {
            Object body = Map.of("provider", "M365", "enabled", false, "m365", Map.of(
                    "tenantId", "contoso.onmicrosoft.com", "clientId", "11111111-2222-3333-4444-555555555555",
                    "clientSecret", "fixture-secret-" + tag));
            Response created = Api.as(Tokens.operator()).body(body).post(connections());
            if (created.statusCode() == 409) {
                // a request under test already connected the client account: use that connection
                connection = UUID.fromString(Api.as(Tokens.operator()).get(connections()).then().statusCode(200)
                        .extract().path("[0].id"));
            } else {
                connection = UUID.fromString(created.then().statusCode(201).extract().path("id"));
            }
            markers.add(connection.toString());
        }
        return connection;
    }

    private UUID entry() {
        if (entry == null) {
            String address = "denied-" + tag + "@example.com";
            Api.as(Tokens.operator()).body(Map.of("entries", List.of(address)))
                    .post(connections() + "/" + connection() + "/deny-list").then().statusCode(200);
            entry = UUID.fromString(Api.as(Tokens.operator()).get(connections() + "/" + connection() + "/deny-list")
                    .then().statusCode(200).extract().path("[0].id"));
            markers.addAll(List.of(address, entry.toString()));
            quiesce();
        }
        return entry;
    }

    private UUID run() {
        if (run == null) {
            String path = connections() + "/" + connection();
            Api.as(Tokens.operator()).body(Map.of("enabled", true)).patch(path).then().statusCode(200);
            run = UUID.fromString(Api.as(Tokens.operator()).body(Map.of("dryRun", true)).post(path + "/runs").then()
                    .statusCode(202).extract().path("id"));
            markers.add(run.toString());
            quiesce();
            Api.as(Tokens.operator()).body(Map.of("enabled", false)).patch(path).then().statusCode(200);
        }
        return run;
    }

    /** Waits until no run of the connection is queued or running, so the tenant's data stays still. */
    public void quiesce() {
        if (connection == null) {
            return;
        }
        String runs = connections() + "/" + connection + "/runs?limit=500";
        for (int attempt = 0; attempt < 600; attempt++) {
            List<String> statuses = new ArrayList<>(Api.as(Tokens.operator()).get(runs).then().statusCode(200)
                    .extract().jsonPath().getList("items.status", String.class));
            if (statuses.stream().noneMatch(s -> s.equals("QUEUED") || s.equals("RUNNING"))) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("runs of connection " + connection + " did not finish");
    }

    private String connections() {
        return "/api/clients/" + client + "/connections";
    }
}
