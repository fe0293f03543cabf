package io.usersync.api.hostile;

import io.usersync.api.hostile.HostileJson.Raw;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** jqwik generators of hostile input: values, whole bodies, ids, query values and headers. */
final class HostileValues {

    private HostileValues() {
    }

    /** Strings that break naive code: invisible, unstorable, ambiguous, huge, or looking like something else. */
    static final List<String> EDGE_STRINGS = List.of("", " ", "\t", "\r\n", "\u0000", "a\u0000b", "\uD800",
            "\uDC00", "a\uD800b", "\uDBFF\uDFFF", "\uFFFE", "\uFFFF", "\uFEFF", "\u202Eevil", "\u2066x\u2069",
            "\u200B", "a\u200Db", "\u00A0", "\u3000", "e\u0301", "e" + "\u0301".repeat(500), "Zoe\u0308",
            "\uD835\uDD18\uD835\uDD2B\uD835\uDD26", "\uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD", "\u0661\u0662\u0663",
            "\uFF11\uFF12", "NaN", "Infinity", "-Infinity", "null", "undefined", "true", "0", "-0", "1e309",
            "0x1F", "' OR 1=1 --", "\"; DROP TABLE app_user; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
            "{{7*7}}", "%00", "%s%s%n", "../../etc/passwd", "C:\\con\\aux", "\\", "\"", "a".repeat(255),
            "a".repeat(100_000), "x@" + "a".repeat(300) + ".com", "Anna@BÜCHER.de", "anna@xn--bcher-kva.de",
            "a@b", "@", "a@@b.com", "a@-b.com", "\u0430dmin@example.com", UUID.randomUUID().toString(),
            "00000000-0000-0000-0000-000000000000", "TRIAL", "trial", "MONTHLY", "M365", "manual");

    /** Raw JSON values that are not what any field expects. */
    static final List<String> RAW_VALUES = List.of("1e400", "-1e400", "1e-400", "-0", "0.5", "1.0", "2147483648",
            "-2147483649", "9223372036854775808", "99999999999999999999999999999999999999", "1" + "0".repeat(1000),
            "NaN", "Infinity", "-Infinity", "true", "false", "null", "{}", "[]", "[null]", "[[[]]]", "\"\"",
            "{\"\":null}", "[1,\"a\",{}]", "0x10", "01", "+1", ".5", "1.", "\"\\ud800\"", "\"\\u0000\"");

    static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(EDGE_STRINGS)),
                // any UTF-16 code unit, lone surrogates included
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(40)),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(200).ofMaxLength(3000)));
    }

    /** Nested arrays or objects, from a little to far beyond any sane depth. */
    static Arbitrary<Raw> nesting() {
        return Arbitraries.integers().between(2, 20_000).flatMap(depth -> Arbitraries.of(
                new Raw("[".repeat(depth) + "]".repeat(depth)),
                new Raw("{\"a\":".repeat(depth) + "1" + "}".repeat(depth))));
    }

    static Arbitrary<Object> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings().map(s -> (Object) s)),
                Tuple.of(3, Arbitraries.of(RAW_VALUES).map(s -> (Object) new Raw(s))),
                Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (Object) b)),
                Tuple.of(1, nesting().map(r -> (Object) r)),
                Tuple.of(1, strings().list().ofMaxSize(5).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.maps(strings(), strings()).ofMaxSize(3).map(m -> (Object) m)));
    }

    /** Names no request type declares. */
    static Arbitrary<String> unknownNames() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("__proto__", "constructor", "x-extra", "id", "ID", "mspId", "msp_id",
                        "createdAt", "deletedAt", "version", "FirstName", "e-mail", "", " ", "\u0000", "\uD800")),
                Tuple.of(1, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map(s -> "zz" + s)));
    }

    /** Whole request bodies: broken JSON, wrong JSON types, deep, huge, or not UTF-8 at all. */
    static Arbitrary<Object> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("", " ", "null", "[]", "[{}]", "\"x\"", "123", "true", "{", "}", "{]",
                        "{\"a\":}", "{'a':1}", "{a:1}", "{\"a\":1,}", "/* c */ {}", "{} {}", "{}garbage", "\uFEFF{}",
                        "{\"a\":1,\"a\":2}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "\u0000",
                        "{\"a\":01}", "[" + "1,".repeat(50_000) + "1]").map(s -> (Object) new Raw(s))),
                Tuple.of(2, values()),
                Tuple.of(1, nesting().map(r -> (Object) r)),
                Tuple.of(1, Arbitraries.integers().between(1_000, 2_500_000).map(n ->
                        (Object) new Raw("{\"name\":\"" + "a".repeat(n) + "\"}"))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200).map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.of(new byte[] { (byte) 0xFF, (byte) 0xFE, '{', '}' },
                        "{\"name\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1),
                        "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16)).map(b -> (Object) b)));
    }

    /** Values for an id in the path. */
    static Arbitrary<String> ids() {
        String uuid = UUID.randomUUID().toString();
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("", " ", "null", "0", "-1", "undefined", "not-a-uuid", uuid.toUpperCase(),
                        "{" + uuid + "}", uuid.replace("-", ""), uuid + "0", uuid.substring(1), " " + uuid,
                        "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                        "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", ".", "..", "a/b", "a?b=c", "a#b", "a;b", "%", "%2F",
                        "\u0000", "\uD800", "\u202E" + uuid, "\uFF10".repeat(36), "x".repeat(3_000))),
                Tuple.of(1, Arbitraries.create(UUID::randomUUID).map(UUID::toString)),
                Tuple.of(2, strings()));
    }

    /** Values for a query parameter. */
    static Arbitrary<String> queryValues() {
        String cursorOfGarbage = Base64.getUrlEncoder().withoutPadding().encodeToString("v1:garbage".getBytes());
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("", "-1", "0", "1", "500", "501", "99999999999999999999", "1e3", "0x10",
                        "NaN", "true", "yes", "TRUE", " 5", "\uFF15", "\u0661\u0662", "%", "_", "*", "'", "\\",
                        "djE6", cursorOfGarbage, "v1:" + UUID.randomUUID(), "M365", "google", "PAUSED", "replace",
                        "x".repeat(3_000))),
                Tuple.of(2, strings()));
    }

    /**
     * Whether a value fits in a request line once percent-encoded. Longer request lines (over
     * {@code quarkus.http.limits.max-initial-line-length}, 4096) are refused by the HTTP codec with a bare 414
     * before the application sees them; Quarkus offers no hook to answer those with problem+json.
     */
    static boolean fitsInARequestLine(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).length() <= 3_200;
    }

    /** Content-Type values other than the one an operation consumes. */
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "application/octet-stream",
            "application/json; charset=latin1", "application/json; charset=utf-16", "application/json; charset=\"",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "application/*",
            "garbage", "application/json, text/plain", "application/problem+json", "application/merge-patch+json",
            "text/csv", "image/png");

    static final List<String> ACCEPTS = List.of("text/html", "application/xml", "image/png", "*/*",
            "application/json;q=0", "garbage", "text/csv", "application/problem+json", "text/*;q=0.1");

    static final List<String> AUTHORIZATIONS = List.of("Bearer", "Bearer  ", "Bearer a.b.c",
            "bearer x", "Token x", "Basic Og==", "Bearer " + "a".repeat(10_000),
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer usk_", "Bearer usk_" + "A".repeat(65),
            "Bearer usk_" + "/".repeat(65), "Bearer USK_" + "A".repeat(65), "Bearer usk_" + "A".repeat(10_000),
            "Bearer usk_+" + "A".repeat(64), "ApiKey usk_" + "A".repeat(65));

    static Map<String, List<String>> headers() {
        return Map.of("Content-Type", CONTENT_TYPES, "Accept", ACCEPTS, "Authorization", AUTHORIZATIONS);
    }
}
