package io.usersync.api.dto;

import io.usersync.common.Page;
import java.util.List;
import java.util.function.Function;

/** A page of a cursor-paginated listing; pass {@code nextCursor} as {@code cursor} to get the next one. */
public record PageView<T>(List<T> items, String nextCursor) {

    public static <E, T> PageView<T> of(Page<E> page, Function<E, T> mapper) {
        return new PageView<>(page.items().stream().map(mapper).toList(), page.nextCursor());
    }
}
