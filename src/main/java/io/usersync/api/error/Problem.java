package io.usersync.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.usersync.common.error.DomainException.FieldProblem;
import io.usersync.common.error.ProblemType;
import java.util.List;

/**
 * RFC 9457 problem details, with two extension members: {@code code}, the stable machine-readable kind, and
 * {@code errors}, the offending fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String code,
        List<FieldProblem> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://usersync.io/problems/";

    public static Problem of(ProblemType type, String detail, String instance, List<FieldProblem> errors) {
        return new Problem(TYPE_BASE + type.code(), type.title(), type.status(), detail, instance, type.code(),
                errors == null || errors.isEmpty() ? null : errors);
    }
}
