package io.usersync.common;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of a cursor-paginated listing.
 *
 * @param nextCursor opaque cursor for the next page, null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from a query that fetched {@code limit + 1} rows: the extra row only proves there is a next
     * page.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, UUID> id) {
        if (rows.size() > limit) {
            List<T> items = List.copyOf(rows.subList(0, limit));
            return new Page<>(items, Cursor.encode(id.apply(items.get(limit - 1))));
        }
        return new Page<>(List.copyOf(rows), null);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
