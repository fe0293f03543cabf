package io.usersync.api.hostile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text for hostile requests. Strings escape every character outside printable ASCII as {@code \\uXXXX},
 * so lone surrogates, NUL and bidi controls reach the server exactly as generated; {@link Raw} fragments
 * ({@code 1e400}, {@code NaN}, deep nesting, broken syntax) are spliced in verbatim.
 */
final class HostileJson {

    private HostileJson() {
    }

    /** A JSON fragment written as is. */
    record Raw(String json) {
        @Override
        public String toString() {
            return json.length() > 80 ? "Raw(" + json.substring(0, 80) + "... " + json.length() + " chars)"
                    : "Raw(" + json + ")";
        }
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Raw raw -> out.append(raw.json());
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case BigDecimal d -> out.append(d.toPlainString());
            case Number n -> out.append(n);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(String.valueOf(e.getKey()), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> string(value.toString(), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append('"');
    }

    /** A deep copy of a body made of maps, lists and scalars. */
    @SuppressWarnings("unchecked")
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(copy(v)));
            return copy;
        }
        return value;
    }

    /** Every path to a value inside the body (keys and list indexes), parents before children. */
    static List<List<Object>> paths(Object body) {
        List<List<Object>> paths = new ArrayList<>();
        collect(body, new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(Object value, List<Object> prefix, List<List<Object>> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                List<Object> path = new ArrayList<>(prefix);
                path.add(k);
                out.add(List.copyOf(path));
                collect(v, path, out);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> path = new ArrayList<>(prefix);
                path.add(i);
                out.add(List.copyOf(path));
                collect(list.get(i), path, out);
            }
        }
    }

    /** Sets (or adds) the value at a path whose parents exist; returns false when they do not. */
    @SuppressWarnings("unchecked")
    static boolean set(Object body, List<Object> path, Object value) {
        Object parent = parent(body, path);
        Object last = path.getLast();
        if (parent instanceof Map<?, ?> map && last instanceof String key) {
            ((Map<String, Object>) map).put(key, value);
            return true;
        }
        if (parent instanceof List<?> list && last instanceof Integer index && index < list.size()) {
            ((List<Object>) list).set(index, value);
            return true;
        }
        return false;
    }

    static void remove(Object body, List<Object> path) {
        Object parent = parent(body, path);
        Object last = path.getLast();
        if (parent instanceof Map<?, ?> map) {
            map.remove(last);
        } else if (parent instanceof List<?> list && last instanceof Integer index && index < list.size()) {
            list.remove((int) index);
        }
    }

    private static Object parent(Object body, List<Object> path) {
        Object current = body;
        for (Object step : path.subList(0, path.size() - 1)) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }

    /** The path as the API names fields: {@code administrator.email}, {@code entries[0]}. */
    static String text(List<Object> path) {
        StringBuilder out = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(step);
            }
        }
        return out.toString();
    }
}
