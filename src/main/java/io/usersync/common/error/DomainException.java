package io.usersync.common.error;

import java.util.List;

/**
 * A refusal the caller can act on. Carries its {@link ProblemType}, a human sentence, and the offending fields
 * when the refusal is about input. Never carries secrets: the detail goes on the wire as is.
 */
public class DomainException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldProblem> fields;

    public DomainException(ProblemType type, String detail) {
        this(type, detail, List.of());
    }

    public DomainException(ProblemType type, String detail, List<FieldProblem> fields) {
        super(detail, null, false, false);
        this.type = type;
        this.fields = List.copyOf(fields);
    }

    public static DomainException invalidField(String field, String message) {
        return new DomainException(ProblemType.INVALID_REQUEST, field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    public static DomainException notFound(String what) {
        return new DomainException(ProblemType.NOT_FOUND, what + " not found");
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldProblem> fields() {
        return fields;
    }

    /** One invalid input field: its JSON path (or parameter name) and why it was refused. */
    public record FieldProblem(String field, String message) {
    }
}
