package io.usersync.api;

import io.usersync.common.Ids;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Parsing of path and query parameters with refusals that name the parameter. */
public final class Params {

    private Params() {
    }

    public static UUID id(String name, String text) {
        UUID id = Ids.parseOrNull(text);
        if (id == null) {
            throw new DomainException(ProblemType.INVALID_ID, name + " is not a valid id",
                    List.of(new DomainException.FieldProblem(name, "must be a UUID")));
        }
        return id;
    }

    public static Boolean bool(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw DomainException.invalidField(name, "must be true or false");
        };
    }

    public static <E extends Enum<E>> E enumValue(String name, String text, Class<E> type) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField(name, "must be one of " + java.util.Arrays.toString(
                    type.getEnumConstants()));
        }
    }

    public static <T> T body(T body) {
        if (body == null) {
            throw DomainException.invalidField("body", "a JSON body is required");
        }
        return body;
    }
}
