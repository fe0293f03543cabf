package io.usersync.testing.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Builds a valid example request body for an operation from its schema: required properties only, with values
 * chosen by schema type, format, enum, bounds, documented examples and (for ids) the fixture of the tenant the
 * request is aimed at. A few bodies whose validity the schema cannot express (one provider's credentials but
 * not the other's, a non-empty list) have explicit examples below, keyed by schema name; an operation added
 * later needs one only if its schema alone cannot describe a valid body.
 */
public final class ExampleValues {

    private static final AtomicLong COUNTER = new AtomicLong();

    /** Valid bodies the schema cannot describe (keyed by component schema name). */
    private static final Map<String, Function<Function<String, String>, Object>> BY_SCHEMA = Map.of(
            "CreateConnection", ids -> Map.of("provider", "M365", "enabled", false, "m365", Map.of(
                    "tenantId", "contoso.onmicrosoft.com", "clientId", "11111111-2222-3333-4444-555555555555",
                    "clientSecret", "example-secret")),
            "AddDenyEntries", ids -> Map.of("entries", List.of("denied-" + next() + "@example.com")),
            "TriggerRun", ids -> Map.of("dryRun", true),
            // the documented example (a public https URL) does not resolve here; tests allow loopback
            "CreateWebhookEndpoint", ids -> Map.of("url", "http://127.0.0.1:9/webhooks",
                    "eventTypes", List.of("user.billable.changed")),
            // the service checks these fields itself (to name them in its errors), so the schema marks none required
            "CreatePlan", ids -> Map.of("type", "SEATS", "amount", 10, "startsAt", Instant.now()
                    .truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS).toString()),
            "LoginBatch", ids -> Map.of("events", List.of(Map.of("eventId", "login-" + next(),
                    "userId", String.valueOf(ids.apply("userId")),
                    "occurredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()))),
            "PriceBookRequest", ids -> Map.of("currency", "EUR", "mode", "VOLUME", "bands",
                    List.of(Map.of("fromUsers", 1, "unitPrice", new java.math.BigDecimal("2.00")))),
            "PriceListBody", ids -> Map.of("currency", "EUR", "basePricePerUserYear", 1200,
                    "featurePricesPerUserYear", Map.of("ULEARN", 100, "UPHISH", 100, "UBREACH", 100, "UPOLICY", 100),
                    "twoYearDiscountPercent", new java.math.BigDecimal("5.00"),
                    "threeYearDiscountPercent", new java.math.BigDecimal("10.00")));

    private final OpenApiDocument document;
    private final Function<String, String> ids;

    /** @param ids the id to use for a property or parameter named {@code ...Id}, or null when unknown */
    public ExampleValues(OpenApiDocument document, Function<String, String> ids) {
        this.document = document;
        this.ids = ids;
    }

    static long next() {
        return COUNTER.incrementAndGet();
    }

    /** A valid body for the operation: a JSON value (maps, lists, scalars) or, for text bodies, a string. */
    public Object body(Operation operation) {
        Operation.RequestBody body = operation.body();
        if (body == null) {
            return null;
        }
        if (!body.isJson()) {
            return body.mediaType().contains("csv") ? "denied-" + next() + "@example.com\n" : "example";
        }
        return value(body.schema(), "body", 0);
    }

    /** A valid value of a query parameter. */
    public String parameter(Operation.Parameter parameter) {
        Object value = value(parameter.schema(), parameter.name(), 0);
        return String.valueOf(value);
    }

    public Object value(JsonNode schemaOrRef, String name, int depth) {
        String refName = OpenApiDocument.refName(schemaOrRef);
        if (refName != null && BY_SCHEMA.containsKey(refName)) {
            return BY_SCHEMA.get(refName).apply(ids);
        }
        JsonNode schema = document.resolve(schemaOrRef);
        if (schema.has("example")) {
            return plain(schema.get("example"));
        }
        if (schema.has("examples") && schema.get("examples").isArray() && !schema.get("examples").isEmpty()) {
            return plain(schema.get("examples").get(0));
        }
        if (schema.has("enum")) {
            return plain(schema.get("enum").get(0));
        }
        if (schema.has("allOf") && !schema.get("allOf").isEmpty()) {
            return value(schema.get("allOf").get(0), name, depth);
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            return value((schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf")).get(0), name, depth);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> object(schema, depth);
            case "array" -> {
                int min = Math.max(1, schema.path("minItems").asInt(1));
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < min; i++) {
                    items.add(value(schema.path("items"), singular(name), depth + 1));
                }
                yield items;
            }
            case "integer" -> schema.has("minimum") ? schema.get("minimum").asLong() : 1;
            case "number" -> schema.has("minimum") ? schema.get("minimum").decimalValue() : 1;
            case "boolean" -> false;
            default -> string(schema, name);
        };
    }

    private Map<String, Object> object(JsonNode schema, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (depth > 8) {
            return out;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            String property = required.asText();
            out.put(property, value(properties.path(property), property, depth + 1));
        }
        return out;
    }

    private String string(JsonNode schema, String name) {
        String format = schema.path("format").asText("");
        String lower = name.toLowerCase(Locale.ROOT);
        if (format.equals("uuid") || name.endsWith("Id") || name.equals("id")) {
            String id = ids.apply(name);
            return id != null ? id : UUID.randomUUID().toString();
        }
        if (format.equals("email") || lower.contains("email")) {
            return "example-" + next() + "@example.com";
        }
        if (format.equals("date-time")) {
            return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        }
        if (format.equals("date")) {
            return LocalDate.now(ZoneOffset.UTC).toString();
        }
        if (lower.contains("domain")) {
            return "example.com";
        }
        if (lower.contains("currency")) {
            return "EUR";
        }
        int min = schema.path("minLength").asInt(1);
        String text = "Example " + next();
        return text.length() >= min ? text : text + "x".repeat(min - text.length());
    }

    private static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }

    private static Object plain(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), plain(e.getValue()));
            }
            return map;
        }
        return null;
    }
}
