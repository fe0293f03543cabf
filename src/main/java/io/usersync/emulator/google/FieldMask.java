package io.usersync.emulator.google;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google partial-response selector ({@code fields=nextPageToken,users(id,name/givenName),*}), parsed into a
 * tree and checked against the resource's schema, as Google does: an unknown field is a 400
 * {@code Invalid field selection}. A node without children selects everything below it.
 */
final class FieldMask {

    /** Selects every field. */
    static final FieldMask ALL = new FieldMask(null);

    /** A resource's fields: name to the sub-schema (null for a leaf). */
    static final class Schema {
        final Map<String, Schema> fields = new LinkedHashMap<>();

        Schema leaf(String... names) {
            for (String name : names) {
                fields.put(name, null);
            }
            return this;
        }

        Schema nested(String name, Schema schema) {
            fields.put(name, schema);
            return this;
        }
    }

    /** The selector is not valid for the resource; the message is Google's. */
    static final class InvalidSelection extends Exception {
        InvalidSelection(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, FieldMask> children;

    private FieldMask(Map<String, FieldMask> children) {
        this.children = children;
    }

    boolean includes(String field) {
        return children == null || children.containsKey(field) || children.containsKey("*");
    }

    /** The selection below {@code field}; only meaningful when {@link #includes} is true. */
    FieldMask child(String field) {
        if (children == null) {
            return ALL;
        }
        FieldMask child = children.get(field);
        return child != null ? child : ALL;
    }

    /** Parses {@code fields}; null or blank selects everything. */
    static FieldMask parse(String fields, Schema schema) throws InvalidSelection {
        if (fields == null || fields.isBlank()) {
            return ALL;
        }
        Parser parser = new Parser(fields.replace(" ", ""));
        Map<String, FieldMask> root = parser.list();
        if (parser.pos != parser.text.length()) {
            throw new InvalidSelection("Invalid field selection " + fields);
        }
        FieldMask mask = new FieldMask(root);
        mask.validate(schema);
        return mask;
    }

    private void validate(Schema schema) throws InvalidSelection {
        if (children == null) {
            return;
        }
        for (Map.Entry<String, FieldMask> entry : children.entrySet()) {
            String name = entry.getKey();
            if (name.equals("*")) {
                continue;
            }
            if (!schema.fields.containsKey(name)) {
                throw new InvalidSelection("Invalid field selection " + name);
            }
            Schema sub = schema.fields.get(name);
            if (sub == null) {
                if (entry.getValue().children != null) {
                    throw new InvalidSelection("Invalid field selection " + name);
                }
            } else {
                entry.getValue().validate(sub);
            }
        }
    }

    private static final class Parser {
        final String text;
        int pos;

        Parser(String text) {
            this.text = text;
        }

        Map<String, FieldMask> list() throws InvalidSelection {
            Map<String, FieldMask> nodes = new HashMap<>();
            do {
                item(nodes);
            } while (accept(','));
            return nodes;
        }

        void item(Map<String, FieldMask> into) throws InvalidSelection {
            Map<String, FieldMask> level = into;
            String name = name();
            while (accept('/')) {
                level = descend(level, name);
                name = name();
            }
            FieldMask leaf = ALL;
            if (accept('(')) {
                leaf = new FieldMask(list());
                if (!accept(')')) {
                    throw new InvalidSelection("Invalid field selection " + text);
                }
            }
            merge(level, name, leaf);
        }

        /** The child map of {@code name}, created as an explicit (non-ALL) selection if needed. */
        private static Map<String, FieldMask> descend(Map<String, FieldMask> level, String name) {
            FieldMask existing = level.get(name);
            if (existing != null && existing.children == null) {
                return new HashMap<>(); // already selected whole: a narrower path adds nothing
            }
            if (existing == null) {
                existing = new FieldMask(new HashMap<>());
                level.put(name, existing);
            }
            return existing.children;
        }

        private static void merge(Map<String, FieldMask> level, String name, FieldMask mask) {
            FieldMask existing = level.get(name);
            if (existing == null || mask.children == null) {
                level.put(name, mask);
            } else if (existing.children != null) {
                mask.children.forEach((k, v) -> merge(existing.children, k, v));
            }
        }

        String name() throws InvalidSelection {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                    || text.charAt(pos) == '*' || text.charAt(pos) == '$')) {
                pos++;
            }
            if (start == pos) {
                throw new InvalidSelection("Invalid field selection " + text);
            }
            return text.substring(start, pos);
        }

        boolean accept(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }
    }
}
