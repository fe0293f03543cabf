package io.usersync.emulator.google;

/**
 * A scripted failure: when page {@code page} (1-based, counted per listing from its first request) of the
 * targeted endpoint is requested, answer with {@code fault} — {@code times} times, or for ever when
 * {@code times <= 0}. For {@link Target#TOKEN} the page is ignored (every token request matches).
 *
 * @param retryAfterSeconds sent as {@code Retry-After} with {@link GoogleFault#TOO_MANY_REQUESTS}, or null
 */
public record FaultRule(Target target, int page, GoogleFault fault, int times, Integer retryAfterSeconds) {

    /** Which requests a rule applies to. */
    public enum Target {
        /** {@code users.list} pages. */
        USERS,
        /** {@code members.list} pages. */
        MEMBERS,
        /** Pages of either listing. */
        ANY_LISTING,
        /** The OAuth token endpoint. */
        TOKEN
    }

    public static FaultRule once(Target target, int page, GoogleFault fault) {
        return new FaultRule(target, page, fault, 1, null);
    }

    public static FaultRule forever(Target target, int page, GoogleFault fault) {
        return new FaultRule(target, page, fault, 0, null);
    }

    public FaultRule withRetryAfter(int seconds) {
        return new FaultRule(target, page, fault, times, seconds);
    }

    boolean applies(Target requested, int requestedPage) {
        if (target == Target.TOKEN || requested == Target.TOKEN) {
            return target == requested;
        }
        return (target == Target.ANY_LISTING || target == requested) && page == requestedPage;
    }
}
