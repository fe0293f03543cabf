package io.usersync.testing.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One HTTP operation of the OpenAPI document. */
public record Operation(String method, String path, List<Parameter> parameters, RequestBody body) {

    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

    /** A path, query or header parameter. */
    public record Parameter(String name, String in, boolean required, JsonNode schema) {
    }

    /** The first declared media type of the request body and its schema. */
    public record RequestBody(String mediaType, JsonNode schema, boolean required) {
        public boolean isJson() {
            return mediaType.contains("json");
        }
    }

    public String key() {
        return method + " " + path;
    }

    public List<Parameter> pathParameters() {
        return parameters.stream().filter(p -> p.in().equals("path")).toList();
    }

    public List<Parameter> queryParameters() {
        return parameters.stream().filter(p -> p.in().equals("query")).toList();
    }

    /** Names of the path template's parameters, in order. */
    public List<String> templateNames() {
        Matcher m = TEMPLATE.matcher(path);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The path with its parameters replaced (values are URL-encoded as path segments). */
    public String expand(Map<String, String> values) {
        Matcher m = TEMPLATE.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "} of " + key());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encodeSegment(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Percent-encodes everything but unreserved characters, so any text becomes exactly one path segment. */
    public static String encodeSegment(String value) {
        if (value.equals(".") || value.equals("..")) {
            return value.replace(".", "%2E");
        }
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
