package io.usersync.api.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usersync.api.hostile.HostileJson.Raw;
import io.usersync.common.error.ProblemType;
import io.usersync.testing.Tokens;
import io.usersync.testing.openapi.ExampleValues;
import io.usersync.testing.openapi.OpenApiDocument;
import io.usersync.testing.openapi.Operation;
import io.usersync.testing.openapi.TenantFixture;
import io.usersync.testing.process.SharedService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input against every operation of the live OpenAPI document, present and future, sent to the packaged
 * service: malformed, oversized, wrongly typed, deeply nested and unicode-edge field values and bodies, unknown
 * and missing fields, malformed ids and query parameters, wrong content types, accept headers and credentials,
 * also sent with an API key; and revoked, expired, malformed and foreign API keys, which answer 401 (or, foreign,
 * never reach the fixture's data).
 * Whatever arrives, the service never answers 5xx; every refusal is {@code application/problem+json} with a
 * stable {@code code} from {@link ProblemType}; an input refusal (400) names the offending field or parameter
 * in {@code errors[].field}.
 *
 * <p>Each request starts from a valid one (an example body from the schema, ids of a live tenant, an operator
 * token) and breaks exactly one thing, so the refusal can be held to naming that thing. Seeds are fixed, so a
 * run is repeatable; a failure prints the request that caused it.
 */
class HostileInputIT {

    static final Set<String> CODES = Arrays.stream(ProblemType.values()).map(ProblemType::code)
            .collect(Collectors.toUnmodifiableSet());
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    static OpenApiDocument document;
    static List<Operation> operations;
    static List<Operation> jsonBodied;
    /** Paths into each operation's example body, plus the optional top-level properties of its schema. */
    static Map<Operation, List<List<Object>>> fieldPaths;
    /** Paths of the objects in each example body (where unknown fields can be added); the root is []. */
    static Map<Operation, List<List<Object>>> objectPaths;
    static TenantFixture fixture;
    static String operatorToken;
    static int requests;
    /** API-key credentials: the fixture's own MSP key, and keys that must not authenticate or reach it. */
    static String ownMspKey;
    static Map<String, String> refusedKeys;
    static Map<String, String> foreignKeys;

    @BeforeContainer
    static void readTheDocument() {
        SharedService.port();
        document = OpenApiDocument.fetch();
        operations = document.operations();
        assertTrue(operations.size() >= 30, "the OpenAPI document lists the API");
        jsonBodied = operations.stream().filter(o -> o.body() != null && o.body().isJson()).toList();
        fixture = TenantFixture.create("hostile");
        operatorToken = Tokens.operator();
        apiKeys();
        fieldPaths = new LinkedHashMap<>();
        objectPaths = new LinkedHashMap<>();
        ExampleValues examples = new ExampleValues(document, fixture::id);
        for (Operation operation : jsonBodied) {
            Object sample = examples.body(operation);
            List<List<Object>> fields = new ArrayList<>(HostileJson.paths(sample));
            JsonNode schema = document.resolve(operation.body().schema());
            for (Iterator<String> names = schema.path("properties").fieldNames(); names.hasNext(); ) {
                List<Object> path = List.of(names.next());
                if (!fields.contains(path)) {
                    fields.add(path);
                }
            }
            fieldPaths.put(operation, fields);
            List<List<Object>> objects = new ArrayList<>();
            objects.add(List.of());
            for (List<Object> path : HostileJson.paths(sample)) {
                if (valueAt(sample, path) instanceof Map<?, ?>) {
                    objects.add(path);
                }
            }
            objectPaths.put(operation, objects);
        }
    }

    /** Live, revoked, expired, malformed and foreign API keys for the key properties below. */
    static void apiKeys() {
        ownMspKey = "Bearer " + fixture.mspKey().secret();
        String secret = fixture.mspKey().secret();
        TenantFixture.ApiKeyFixture revoked = fixture.createKey("/api/msps/" + fixture.msp + "/api-keys", null);
        io.usersync.testing.Api.as(operatorToken).delete("/api/msps/" + fixture.msp + "/api-keys/" + revoked.id())
                .then().statusCode(200);
        java.time.Instant soon = java.time.Instant.now().plusSeconds(2);
        TenantFixture.ApiKeyFixture expired = fixture.createKey("/api/clients/" + fixture.client + "/api-keys",
                soon);
        refusedKeys = new LinkedHashMap<>();
        refusedKeys.put("revoked key", "Bearer " + revoked.secret());
        refusedKeys.put("expired key", "Bearer " + expired.secret());
        refusedKeys.put("key with another secret", "Bearer " + secret.substring(0, 40)
                + (secret.charAt(40) == 'A' ? 'B' : 'A') + secret.substring(41));
        refusedKeys.put("truncated key", "Bearer " + secret.substring(0, secret.length() - 1));
        refusedKeys.put("key with a trailing character", "Bearer " + secret + "A");
        refusedKeys.put("key with a standard-base64 character", "Bearer " + secret.substring(0, 30) + "+"
                + secret.substring(31));
        refusedKeys.put("key in lower case", "Bearer " + secret.toLowerCase(java.util.Locale.ROOT));
        refusedKeys.put("bare prefix", "Bearer usk_");
        refusedKeys.put("key without the scheme", secret);
        refusedKeys.put("key of a deleted client account", "Bearer " + deletedClientKey());
        TenantFixture foreign = TenantFixture.create("foreign");
        foreignKeys = new LinkedHashMap<>();
        foreignKeys.put("another MSP's key", "Bearer " + foreign.mspKey().secret());
        foreignKeys.put("another MSP's client key", "Bearer " + foreign.clientKey().secret());
        foreignKeys.put("a sibling client's key", "Bearer " + fixture.sibling("hostile-sibling").clientKey()
                .secret());
        while (java.time.Instant.now().isBefore(soon.plusMillis(100))) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String deletedClientKey() {
        TenantFixture gone = fixture.sibling("hostile-gone");
        String key = gone.clientKey().secret();
        io.usersync.testing.Api.as(operatorToken).delete("/api/clients/" + gone.client).then().statusCode(204);
        return key;
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 1500, seed = "20261201001", shrinking = ShrinkingMode.BOUNDED)
    void hostileFieldValuesAreRefusedNamingTheField(@ForAll("fieldMutations") HostileRequest request)
            throws Exception {
        check(request);
    }

    @Property(tries = 500, seed = "20261201002", shrinking = ShrinkingMode.BOUNDED)
    void hostileWholeBodiesAreRefusedAsProblems(@ForAll("bodyReplacements") HostileRequest request) throws Exception {
        check(request);
    }

    @Property(tries = 900, seed = "20261201003", shrinking = ShrinkingMode.BOUNDED)
    void hostileIdsAndQueryParametersAreRefusedNamingTheParameter(
            @ForAll("parameterMutations") HostileRequest request) throws Exception {
        check(request);
    }

    @Property(tries = 400, seed = "20261201004", shrinking = ShrinkingMode.BOUNDED)
    void hostileHeadersAreRefusedAsProblems(@ForAll("headerMutations") HostileRequest request) throws Exception {
        check(request);
    }

    /** Hostile bodies sent with an API key (msp-admin rights) instead of an operator token. */
    @Property(tries = 300, seed = "20261201005", shrinking = ShrinkingMode.BOUNDED)
    void hostileFieldValuesWithAnApiKeyAreRefusedNamingTheField(@ForAll("fieldMutations") HostileRequest request)
            throws Exception {
        check(request, ownMspKey);
    }

    /** Revoked, expired and malformed keys answer 401 everywhere; foreign keys never reach the fixture's data. */
    @Property(tries = 400, seed = "20261201006", shrinking = ShrinkingMode.BOUNDED)
    void badAndForeignApiKeysAreRefused(@ForAll("operationsWithKeys") Tuple.Tuple2<Operation, String> pick)
            throws Exception {
        Operation operation = pick.get1();
        String credential = pick.get2();
        boolean foreign = foreignKeys.containsKey(credential);
        String authorization = foreign ? foreignKeys.get(credential) : refusedKeys.get(credential);
        HttpResponse<String> response = sendAs(operation, authorization);
        requests++;
        String problem = verdict(response, new Header("Authorization", credential));
        int status = response.statusCode();
        if (problem == null && !foreign && status != 401) {
            problem = "a " + credential + " answered " + status + " instead of 401";
        }
        if (problem == null && foreign && !operation.templateNames().isEmpty() && status != 403 && status != 404) {
            problem = "a " + credential + " reached the fixture's data: " + status;
        }
        if (problem != null) {
            throw new AssertionError(problem + "\nrequest: " + operation.key() + " with " + credential + "\nanswer: "
                    + status + " " + abbreviate(response.body()));
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<HostileRequest> fieldMutations() {
        return Arbitraries.of(jsonBodied).flatMap(operation -> {
            List<List<Object>> fields = fieldPaths.get(operation);
            Arbitrary<Mutation> add = Combinators.combine(Arbitraries.of(objectPaths.get(operation)),
                    HostileValues.unknownNames(), HostileValues.values()).as(AddField::new);
            if (fields.isEmpty()) {
                return add.map(m -> new HostileRequest(operation, m));
            }
            Arbitrary<Mutation> replace = Arbitraries.of(fields).flatMap(path -> HostileValues.values()
                    .map(value -> (Mutation) new ReplaceField(path, value)));
            Arbitrary<Mutation> remove = Arbitraries.of(fields).map(RemoveField::new);
            return Arbitraries.frequencyOf(Tuple.of(6, replace), Tuple.of(2, add), Tuple.of(1, remove))
                    .map(m -> new HostileRequest(operation, m));
        });
    }

    @Provide
    Arbitrary<HostileRequest> bodyReplacements() {
        List<Operation> bodied = operations.stream().filter(o -> o.body() != null).toList();
        return Combinators.combine(Arbitraries.of(bodied), HostileValues.bodies())
                .as((operation, body) -> new HostileRequest(operation, new ReplaceBody(body)));
    }

    @Provide
    Arbitrary<HostileRequest> parameterMutations() {
        return Arbitraries.of(operations).flatMap(operation -> {
            List<Arbitrary<Mutation>> choices = new ArrayList<>();
            for (Operation.Parameter p : operation.pathParameters()) {
                choices.add(HostileValues.ids().filter(HostileValues::fitsInARequestLine)
                        .map(v -> new PathParam(p.name(), v)));
            }
            for (Operation.Parameter p : operation.queryParameters()) {
                choices.add(HostileValues.queryValues().filter(HostileValues::fitsInARequestLine)
                        .map(v -> new QueryParam(p.name(), v, true)));
            }
            choices.add(Combinators.combine(Arbitraries.of("zz", "LIMIT", "limit[]", "", "cursor ", "\u0000"),
                    HostileValues.queryValues().filter(HostileValues::fitsInARequestLine))
                    .as((name, value) -> new QueryParam(name, value, false)));
            return Arbitraries.oneOf(choices).map(m -> new HostileRequest(operation, m));
        });
    }

    @Provide
    Arbitrary<HostileRequest> headerMutations() {
        List<Arbitrary<Mutation>> headers = new ArrayList<>();
        HostileValues.headers().forEach((name, values) ->
                headers.add(Arbitraries.of(values).map(v -> new Header(name, v))));
        return Combinators.combine(Arbitraries.of(operations), Arbitraries.oneOf(headers)).as(HostileRequest::new);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Operation, String>> operationsWithKeys() {
        List<String> credentials = new ArrayList<>(refusedKeys.keySet());
        credentials.addAll(foreignKeys.keySet());
        return Combinators.combine(Arbitraries.of(operations), Arbitraries.of(credentials)).as(Tuple::of);
    }

    /** The operation's valid request (example body, the fixture's ids) with the given Authorization. */
    static HttpResponse<String> sendAs(Operation operation, String authorization) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Accept", "*/*");
        byte[] body = null;
        if (operation.body() != null) {
            headers.put("Content-Type", operation.body().mediaType());
            Object example = new ExampleValues(document, fixture::id).body(operation);
            body = operation.body().isJson() ? json(example) : String.valueOf(example).getBytes(StandardCharsets.UTF_8);
        } else if (!operation.method().equals("GET") && !operation.method().equals("DELETE")) {
            headers.put("Content-Type", "application/json");
        }
        HttpResponse<String> response = send(operation, fixture.pathValues(operation, document, new HashSet<>()),
                Map.of(), headers, body);
        if (operation.method().equals("DELETE") && response.statusCode() / 100 == 2) {
            throw new AssertionError(operation.key() + " deleted with a refused key");
        }
        return response;
    }

    // ---------------------------------------------------------------- the check

    static void check(HostileRequest request) throws Exception {
        check(request, "Bearer " + operatorToken);
    }

    static void check(HostileRequest request, String authorization) throws Exception {
        Operation operation = request.operation();
        Mutation mutation = request.mutation();
        TenantFixture tenant = fixture;
        Map<String, String> path = tenant.pathValues(operation, document, new HashSet<>());
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Accept", "*/*");
        byte[] body = null;
        if (operation.body() != null) {
            headers.put("Content-Type", operation.body().mediaType());
            Object example = new ExampleValues(document, tenant::id).body(operation);
            body = operation.body().isJson() ? json(mutation.applyTo(example))
                    : String.valueOf(example).getBytes(StandardCharsets.UTF_8);
        } else if (!operation.method().equals("GET") && !operation.method().equals("DELETE")) {
            headers.put("Content-Type", "application/json");
        }
        if (mutation instanceof ReplaceBody replaced) {
            body = json(replaced.body());
        }
        if (mutation instanceof PathParam p) {
            path.put(p.name(), p.value());
        }
        if (mutation instanceof QueryParam q) {
            query.put(q.name(), q.value());
        }
        if (mutation instanceof Header h) {
            headers.put(h.name(), h.value());
        }

        HttpResponse<String> response = send(operation, path, query, headers, body);
        requests++;
        String problem = verdict(response, mutation);
        if (operation.method().equals("DELETE") && response.statusCode() / 100 == 2) {
            fixture = TenantFixture.create("hostile"); // the request deleted part of the fixture
            ownMspKey = "Bearer " + fixture.mspKey().secret();
        }
        if (problem != null) {
            throw new AssertionError(problem + "\nrequest: " + request + "\nanswer: " + response.statusCode() + " "
                    + response.headers().firstValue("Content-Type").orElse("-") + " "
                    + abbreviate(response.body()));
        }
    }

    /** Null when the answer is acceptable for this hostile request, else what is wrong with it. */
    static String verdict(HttpResponse<String> response, Mutation mutation) {
        int status = response.statusCode();
        if (status >= 500) {
            return "a 5xx answer";
        }
        if (status < 400) {
            return null;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "a refusal that is not problem+json";
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (IOException e) {
            return "a problem that is not JSON";
        }
        String code = problem.path("code").asText("");
        if (!CODES.contains(code)) {
            return "an unknown problem code '" + code + "'";
        }
        if (problem.path("status").asInt() != status || !problem.path("type").asText().endsWith("/" + code)) {
            return "status or type inconsistent with the answer";
        }
        String detail = problem.path("detail").asText("");
        if (detail.contains("Exception") || detail.contains("\tat ") || detail.contains("java.")) {
            return "implementation details in the problem detail";
        }
        if (status == 400) {
            List<String> fields = new ArrayList<>();
            problem.path("errors").forEach(e -> fields.add(e.path("field").asText("")));
            if (fields.isEmpty() || fields.stream().anyMatch(String::isBlank)) {
                return "an input refusal without errors[].field";
            }
            Set<String> expected = mutation.fields();
            if (!expected.isEmpty() && fields.stream().noneMatch(f -> names(f, expected))) {
                return "errors name " + fields + " instead of " + expected;
            }
        }
        return null;
    }

    /** Whether an error field names one of the expected fields (or a parent or child of it). */
    static boolean names(String field, Set<String> expected) {
        for (String e : expected) {
            // the field itself, a part of it, or the whole it is part of; possibly qualified (credentials.m365.x)
            String qualified = "." + field + ".";
            if (field.equals(e) || qualified.contains("." + e + ".") || qualified.contains("." + e + "[")
                    || e.startsWith(field + ".") || e.startsWith(field + "[")) {
                return true;
            }
        }
        return false;
    }

    static HttpResponse<String> send(Operation operation, Map<String, String> path, Map<String, String> query,
            Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        StringBuilder uri = new StringBuilder("http://127.0.0.1:" + SharedService.port())
                .append(operation.expand(path));
        char separator = '?';
        for (Map.Entry<String, String> q : query.entrySet()) {
            uri.append(separator).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(Duration.ofMinutes(2))
                .method(operation.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** JSON text of a body; raw fragments and bytes are sent as they are. */
    static byte[] json(Object body) {
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        return HostileJson.write(body).getBytes(StandardCharsets.UTF_8);
    }

    static Object valueAt(Object body, List<Object> path) {
        Object current = body;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer i && i < list.size()) {
                current = list.get(i);
            } else {
                return null;
            }
        }
        return current;
    }

    static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }

    // ---------------------------------------------------------------- mutations

    /** One hostile request: a valid request of the operation with exactly one thing broken. */
    record HostileRequest(Operation operation, Mutation mutation) {
        @Override
        public String toString() {
            return operation.key() + " with " + mutation;
        }
    }

    /** The one thing broken, and the fields a 400 must name for it (empty: any field will do). */
    sealed interface Mutation permits ReplaceField, AddField, RemoveField, ReplaceBody, PathParam, QueryParam,
            Header {
        Set<String> fields();

        /** The example body with this mutation applied (a copy; unchanged for mutations outside the body). */
        default Object applyTo(Object body) {
            return body;
        }
    }

    record ReplaceField(List<Object> path, Object value) implements Mutation {
        public Set<String> fields() {
            if (value instanceof Raw raw && raw.json().length() > 1000) {
                return Set.of(); // nesting beyond the parser's limits is the document's problem
            }
            return withBodyIfBroken(value, HostileJson.text(path));
        }

        public Object applyTo(Object body) {
            Object copy = HostileJson.copy(body);
            HostileJson.set(copy, path, value);
            return copy;
        }

        @Override
        public String toString() {
            return HostileJson.text(path) + " = " + describe(value);
        }
    }

    record AddField(List<Object> parent, String name, Object value) implements Mutation {
        public Set<String> fields() {
            List<Object> path = new ArrayList<>(parent);
            path.add(name);
            // keys that are not plain are shown JSON-quoted (a["x y"]); any non-blank field will do for them
            return name.matches("[A-Za-z0-9_$-]{1,100}") ? withBodyIfBroken(value, HostileJson.text(path)) : Set.of();
        }

        public Object applyTo(Object body) {
            List<Object> path = new ArrayList<>(parent);
            path.add(name);
            Object copy = HostileJson.copy(body);
            HostileJson.set(copy, path, value);
            return copy;
        }

        @Override
        public String toString() {
            return "unknown field " + HostileJson.text(parent) + "['" + name + "'] = " + describe(value);
        }
    }

    record RemoveField(List<Object> path) implements Mutation {
        public Set<String> fields() {
            return Set.of(HostileJson.text(path));
        }

        public Object applyTo(Object body) {
            Object copy = HostileJson.copy(body);
            HostileJson.remove(copy, path);
            return copy;
        }

        @Override
        public String toString() {
            return "without " + HostileJson.text(path);
        }
    }

    record ReplaceBody(Object body) implements Mutation {
        public Set<String> fields() {
            return Set.of();
        }

        @Override
        public String toString() {
            return "body " + describe(body);
        }
    }

    record PathParam(String name, String value) implements Mutation {
        public Set<String> fields() {
            return Set.of(name);
        }

        @Override
        public String toString() {
            return "{" + name + "} = " + describe(value);
        }
    }

    record QueryParam(String name, String value, boolean declared) implements Mutation {
        public Set<String> fields() {
            return declared ? Set.of(name) : Set.of();
        }

        @Override
        public String toString() {
            return "?" + describe(name) + "=" + describe(value);
        }
    }

    record Header(String name, String value) implements Mutation {
        public Set<String> fields() {
            return Set.of();
        }

        @Override
        public String toString() {
            return name + ": " + describe(value);
        }
    }

    static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The field, and also {@code body} when the value is not even JSON ({@code 0x10}): where such text breaks,
     * the parser may see broken punctuation after a valid prefix rather than a broken value.
     */
    static Set<String> withBodyIfBroken(Object value, String field) {
        if (value instanceof Raw raw) {
            try {
                STRICT.readTree(raw.json());
            } catch (IOException e) {
                return Set.of(field, "body");
            }
        }
        return Set.of(field);
    }

    static String describe(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes";
        }
        String text = value instanceof String s ? HostileJson.write(s) : String.valueOf(value);
        return text.length() > 120 ? text.substring(0, 120) + "... (" + text.length() + " chars)" : text;
    }
}
