package io.usersync.emulator.graph;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The Microsoft Graph v1.0 side of the emulator: {@code /users}, {@code /users/delta}, {@code /groups/{id}} and
 * {@code /groups/{id}/transitiveMembers[/microsoft.graph.user]}, answered in Graph's wire format (OData
 * collections with {@code @odata.nextLink} / {@code @odata.deltaLink} carrying the emulator's own host, OData
 * error bodies), behind a bearer-token check. Paging tokens are opaque to clients; they encode the position,
 * the page number (so faults can target "page k") and, for delta, the change window.
 */
final class GraphApi {

    static final String JSON = "application/json;odata.metadata=minimal;odata.streaming=true;"
            + "IEEE754Compatible=false;charset=utf-8";
    private static final int DEFAULT_PAGE_SIZE = 100;
    /** Graph's default properties of a user when no {@code $select} is given. */
    private static final List<String> DEFAULT_SELECT = List.of("businessPhones", "displayName", "givenName",
            "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
            "id");
    private static final Map<String, String> PROPERTIES = new LinkedHashMap<>();

    static {
        for (String name : List.of("id", "userPrincipalName", "mail", "givenName", "surname", "displayName",
                "accountEnabled", "userType", "proxyAddresses", "otherMails", "businessPhones", "jobTitle",
                "mobilePhone", "officeLocation", "preferredLanguage")) {
            PROPERTIES.put(name.toLowerCase(Locale.ROOT), name);
        }
    }

    private final GraphEmulator emulator;

    GraphApi(GraphEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpServerRequest request) {
        try {
            route(request);
        } catch (BadRequest e) {
            // 410 carries a fresh delta query in Location, as Graph's synchronization reset does.
            error(request, e.status, e.code, e.getMessage(), e instanceof SyncStateGone
                    ? base(request) + "/users/delta()" : null);
        } catch (RuntimeException e) {
            error(request, 500, "UnknownError", "emulator failure: " + e, null);
        }
    }

    private void route(HttpServerRequest request) {
        String path = request.path();
        if (!path.startsWith("/v1.0/")) {
            throw new BadRequest(400, "BadRequest", "Invalid version: " + path);
        }
        if (request.method() != io.vertx.core.http.HttpMethod.GET) {
            throw new BadRequest(405, "Request_BadRequest", "The HTTP method is not supported by the emulator.");
        }
        GraphEmulator.Issued token = authenticate(request);
        if (token == null) {
            return;
        }
        GraphTenant tenant = token.tenant();
        GraphTenant.App app = tenant.app(token.clientId());
        if (app == null || !app.directoryRead()) {
            error(request, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.",
                    null);
            return;
        }
        String[] segments = path.substring("/v1.0/".length()).split("/");
        MultiMap query = request.params();
        boolean listing = segments.length == 1 && segments[0].equals("users")
                || segments.length == 2 && segments[0].equals("users") && isDelta(segments[1])
                || segments.length >= 3 && segments[0].equals("groups") && segments[2].equals("transitiveMembers");
        if (listing) {
            record(request, tenant);
        }
        if (segments.length == 1 && segments[0].equals("users")) {
            listUsers(request, tenant, query);
        } else if (segments.length == 2 && segments[0].equals("users") && isDelta(segments[1])) {
            delta(request, tenant, query);
        } else if (segments[0].equals("groups") && segments.length >= 2) {
            GraphTenant.Group group = tenant.group(segments[1]);
            if (group == null) {
                throw new BadRequest(404, "Request_ResourceNotFound", "Resource '" + segments[1]
                        + "' does not exist or one of its queried reference-property objects are not present.");
            }
            if (segments.length == 2) {
                StringBuilder out = new StringBuilder(256).append("{\"@odata.context\":");
                Json.string(out, base(request) + "/$metadata#groups/$entity").append(",\"id\":");
                Json.string(out, group.id).append(",\"displayName\":");
                Json.string(out, group.displayName).append(",\"securityEnabled\":true,\"mailEnabled\":false}");
                ok(request, out);
            } else if (segments[2].equals("transitiveMembers") && (segments.length == 3 || (segments.length == 4
                    && (segments[3].equals("microsoft.graph.user") || segments[3].equals("graph.user"))))) {
                members(request, tenant, group, segments.length == 4, query);
            } else {
                throw new BadRequest(400, "BadRequest", "Resource not found for the segment '" + segments[2] + "'.");
            }
        } else {
            throw new BadRequest(400, "BadRequest", "Resource not found for the segment '" + segments[0] + "'.");
        }
    }

    private static boolean isDelta(String segment) {
        return segment.equals("delta") || segment.equals("delta()") || segment.equals("microsoft.graph.delta")
                || segment.equals("microsoft.graph.delta()");
    }

    private GraphEmulator.Issued authenticate(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            request.response().putHeader("WWW-Authenticate", "Bearer realm=\"\", error=\"invalid_token\"");
            error(request, 401, "InvalidAuthenticationToken", "Access token is empty.", null);
            return null;
        }
        GraphEmulator.Issued token = emulator.token(header.substring(7).strip());
        if (token == null) {
            error(request, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.",
                    null);
            return null;
        }
        if (token.expiresAt().isBefore(Instant.now())) {
            error(request, 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.",
                    null);
            return null;
        }
        return token;
    }

    // ---------------------------------------------------------------- listings

    private void listUsers(HttpServerRequest request, GraphTenant tenant, MultiMap query) {
        List<String> select = select(query.get("$select"), DEFAULT_SELECT);
        int top = top(query.get("$top"));
        ListPosition position = ListPosition.of(query.get("$skiptoken"), "L", tenant);
        int offset = position.offset();
        int page = position.page();
        if (!beginListing(request, tenant, page)) {
            return;
        }
        int size = pageSize(tenant, top);
        GraphTenant.Slice<StoredUser> slice = tenant.liveUsers(offset, size);
        StringBuilder out = collectionStart(request, "users", select);
        writeUsers(out, slice.items(), select, false);
        out.append(']');
        if (slice.next() >= 0) {
            String link = base(request) + "/users?$select=" + String.join(",", select)
                    + (query.get("$top") != null ? "&$top=" + top : "") + "&$skiptoken="
                    + encode("L", tenant.generation(), slice.next(), page + 1);
            out.append(",\"@odata.nextLink\":");
            Json.string(out, link);
        }
        ok(request, out.append('}'));
    }

    private void delta(HttpServerRequest request, GraphTenant tenant, MultiMap query) {
        Integer preferred = preferredPageSize(request.getHeader("Prefer"));
        String deltaToken = query.get("$deltatoken");
        String skipToken = query.get("$skiptoken");
        long since;
        long until;
        int offset = 0;
        int page = 1;
        int size;
        List<String> select;
        if (skipToken != null) {
            String[] t = decode(skipToken, "D", 8);
            requireGeneration(t[1], tenant);
            since = Long.parseLong(t[2]);
            until = Long.parseLong(t[3]);
            offset = Integer.parseInt(t[4]);
            page = Integer.parseInt(t[5]);
            size = Integer.parseInt(t[6]);
            select = List.of(t[7].split(","));
        } else if (deltaToken != null) {
            String[] t = decode(deltaToken, "T", 5);
            requireGeneration(t[1], tenant);
            since = Long.parseLong(t[2]);
            until = tenant.sequence();
            select = List.of(t[3].split(","));
            size = Integer.parseInt(t[4]);
        } else {
            since = -1;
            until = tenant.sequence();
            select = select(query.get("$select"), DEFAULT_SELECT);
            size = DEFAULT_PAGE_SIZE;
        }
        if (preferred != null) {
            size = preferred;
        }
        if (!beginListing(request, tenant, page)) {
            return;
        }
        int effective = Math.min(size, tenant.maxPageSize());
        GraphTenant.Slice<StoredUser> slice = since < 0 ? tenant.liveUsers(offset, effective)
                : tenant.changedUsers(since, until, offset, effective);
        StringBuilder out = collectionStart(request, "users", select);
        writeUsers(out, slice.items(), select, true);
        out.append(']');
        String selectList = String.join(",", select);
        if (slice.next() >= 0) {
            out.append(",\"@odata.nextLink\":");
            Json.string(out, base(request) + "/users/delta()?$skiptoken=" + encode("D", tenant.generation(), since,
                    until, slice.next(), page + 1, size, selectList));
        } else {
            out.append(",\"@odata.deltaLink\":");
            Json.string(out, base(request) + "/users/delta()?$deltatoken=" + encode("T", tenant.generation(), until,
                    selectList, size));
        }
        if (preferred != null) {
            request.response().putHeader("Preference-Applied", "odata.maxpagesize=" + effective);
        }
        ok(request, out.append('}'));
    }

    private void members(HttpServerRequest request, GraphTenant tenant, GraphTenant.Group group, boolean usersOnly,
            MultiMap query) {
        List<String> select = select(query.get("$select"), DEFAULT_SELECT);
        int top = top(query.get("$top"));
        ListPosition position = ListPosition.of(query.get("$skiptoken"), "M", tenant);
        int offset = position.offset();
        int page = position.page();
        if (!beginListing(request, tenant, page)) {
            return;
        }
        List<Object> all = tenant.transitiveMembers(group);
        if (usersOnly) {
            all.removeIf(member -> !(member instanceof StoredUser));
        }
        int size = pageSize(tenant, top);
        int end = Math.min(all.size(), offset + size);
        StringBuilder out = collectionStart(request, usersOnly ? "users" : "directoryObjects", usersOnly ? select
                : null);
        boolean first = true;
        for (Object member : all.subList(Math.min(offset, end), end)) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (member instanceof StoredUser user) {
                writeUser(out, user, select, !usersOnly);
            } else {
                GraphTenant.Group nested = (GraphTenant.Group) member;
                out.append("{\"@odata.type\":\"#microsoft.graph.group\",\"id\":");
                Json.string(out, nested.id).append(",\"displayName\":");
                Json.string(out, nested.displayName).append('}');
            }
        }
        out.append(']');
        if (end < all.size()) {
            String segment = usersOnly ? "/microsoft.graph.user" : "";
            String link = base(request) + "/groups/" + group.id + "/transitiveMembers" + segment + "?$select="
                    + String.join(",", select) + (query.get("$top") != null ? "&$top=" + top : "")
                    + "&$skiptoken=" + encode("M", tenant.generation(), end, page + 1);
            out.append(",\"@odata.nextLink\":");
            Json.string(out, link);
        }
        ok(request, out.append('}'));
    }

    /** Records and counts a listing request, whatever its outcome. */
    private static void record(HttpServerRequest request, GraphTenant tenant) {
        Map<String, String> params = new LinkedHashMap<>();
        request.params().forEach(e -> params.put(e.getKey(), e.getValue()));
        tenant.record(new GraphTenant.RecordedRequest(request.method().name(), request.path(), params,
                request.getHeader("Prefer")));
    }

    /** Injects the page's fault, if any. @return whether to serve the page */
    private boolean beginListing(HttpServerRequest request, GraphTenant tenant, int page) {
        GraphTenant.FaultRule rule = tenant.takeFault(page);
        if (rule == null) {
            return true;
        }
        HttpServerResponse response = request.response();
        switch (rule.fault) {
            case CONNECTION_RESET -> request.connection().close();
            case MALFORMED_JSON -> response.setStatusCode(200).putHeader("Content-Type", JSON)
                    .end("{\"@odata.context\":\"" + base(request) + "/$metadata#users\",\"value\":[{\"id\":\"");
            default -> {
                if (rule.retryAfterSeconds != null) {
                    response.putHeader("Retry-After", Integer.toString(rule.retryAfterSeconds));
                }
                if (rule.fault.status == 429 || rule.fault.status == 503 || rule.fault.status == 504) {
                    tenant.countThrottled();
                }
                switch (rule.fault) {
                    case TOO_MANY_REQUESTS -> error(request, 429, "Request_ThrottledTemporarily",
                            "Your request is throttled temporarily. Please try after "
                                    + (rule.retryAfterSeconds == null ? 1 : rule.retryAfterSeconds) + " seconds.",
                            null);
                    case SERVICE_UNAVAILABLE -> error(request, 503, "serviceNotAvailable",
                            "The service is temporarily unavailable. Please try again later.", null);
                    case GATEWAY_TIMEOUT -> error(request, 504, "UnknownError", "Gateway timeout.", null);
                    default -> error(request, 500, "UnknownError", "An internal server error occurred.", null);
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- serialisation

    private StringBuilder collectionStart(HttpServerRequest request, String entitySet, List<String> select) {
        StringBuilder out = new StringBuilder(16_384).append("{\"@odata.context\":");
        Json.string(out, base(request) + "/$metadata#" + entitySet
                + (select == null ? "" : "(" + String.join(",", select) + ")"));
        return out.append(",\"value\":[");
    }

    private static void writeUsers(StringBuilder out, List<StoredUser> users, List<String> select, boolean delta) {
        boolean first = true;
        for (StoredUser user : users) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (user.deleted && delta) {
                out.append("{\"@odata.type\":\"#microsoft.graph.user\",\"id\":");
                Json.string(out, user.id()).append(",\"@removed\":{\"reason\":");
                Json.string(out, user.removedReason).append("}}");
            } else {
                writeUser(out, user, select, false);
            }
        }
    }

    private static void writeUser(StringBuilder out, StoredUser stored, List<String> select, boolean typed) {
        GraphUser user = stored.attributes();
        out.append('{');
        boolean first = true;
        if (typed) {
            out.append("\"@odata.type\":\"#microsoft.graph.user\"");
            first = false;
        }
        for (String property : select) {
            if (!first) {
                out.append(',');
            }
            first = false;
            Json.string(out, property).append(':');
            switch (property) {
                case "id" -> Json.string(out, stored.id());
                case "userPrincipalName" -> Json.string(out, user.userPrincipalName());
                case "mail" -> Json.string(out, user.mail());
                case "givenName" -> Json.string(out, user.givenName());
                case "surname" -> Json.string(out, user.surname());
                case "displayName" -> Json.string(out, displayName(user));
                case "accountEnabled" -> out.append(user.accountEnabled());
                case "userType" -> Json.string(out, user.userType());
                case "proxyAddresses" -> array(out, user.proxyAddresses());
                case "otherMails" -> array(out, user.otherMails());
                case "businessPhones" -> out.append("[]");
                default -> out.append("null");
            }
        }
        out.append('}');
    }

    private static String displayName(GraphUser user) {
        String name = ((user.givenName() == null ? "" : user.givenName()) + " "
                + (user.surname() == null ? "" : user.surname())).strip();
        return name.isEmpty() ? user.userPrincipalName() : name;
    }

    private static void array(StringBuilder out, List<String> values) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Json.string(out, values.get(i));
        }
        out.append(']');
    }

    // ---------------------------------------------------------------- query options and tokens

    private static List<String> select(String raw, List<String> fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        List<String> properties = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.strip();
            String canonical = PROPERTIES.get(name.toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new BadRequest(400, "Request_BadRequest", "Could not find a property named '" + name
                        + "' on type 'microsoft.graph.user'.");
            }
            if (!properties.contains(canonical)) {
                properties.add(canonical);
            }
        }
        if (!properties.contains("id")) {
            properties.add("id");
        }
        return properties;
    }

    private static int top(String raw) {
        if (raw == null) {
            return DEFAULT_PAGE_SIZE;
        }
        int top;
        try {
            top = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "Request_BadRequest", "Invalid page size specified: '" + raw + "'.");
        }
        if (top < 1 || top > 999) {
            throw new BadRequest(400, "Request_BadRequest", "Invalid page size specified: '" + raw
                    + "'. Must be between 1 and 999 inclusive.");
        }
        return top;
    }

    private static int pageSize(GraphTenant tenant, int requested) {
        return Math.min(requested, tenant.maxPageSize());
    }

    /** {@code Prefer: odata.maxpagesize=N} (1..999), the paging preference delta queries honour. */
    static Integer preferredPageSize(String prefer) {
        if (prefer == null) {
            return null;
        }
        for (String part : prefer.split(",")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "odata.maxpagesize=", 0, 18)) {
                try {
                    int size = Integer.parseInt(p.substring(18).strip());
                    return Math.max(1, Math.min(999, size));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static void requireGeneration(String generation, GraphTenant tenant) {
        if (Integer.parseInt(generation) != tenant.generation()) {
            throw new SyncStateGone();
        }
    }

    private static String encode(String kind, Object... parts) {
        StringBuilder plain = new StringBuilder(kind);
        for (Object part : parts) {
            plain.append('|').append(part);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a paging token of the expected kind; an undecodable delta token is treated as unknown (410). */
    /** Where a paged listing resumes: its offset and page number, from the start or from a skip token. */
    private record ListPosition(int offset, int page) {

        /** The position a {@code $skiptoken} of this kind names (the start without one); refuses a stale token. */
        static ListPosition of(String skipToken, String kind, GraphTenant tenant) {
            if (skipToken == null) {
                return new ListPosition(0, 1);
            }
            String[] t = decode(skipToken, kind, 4);
            if (Integer.parseInt(t[1]) != tenant.generation()) {
                throw new BadRequest(400, "Directory_ExpiredPageToken", "The specified page token value has expired "
                        + "and can no longer be included in your request.");
            }
            return new ListPosition(Integer.parseInt(t[2]), Integer.parseInt(t[3]));
        }
    }

    private static String[] decode(String token, String kind, int parts) {
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8)
                    .split("\\|", -1);
            if (fields.length == parts && fields[0].equals(kind)) {
                return fields;
            }
        } catch (IllegalArgumentException e) {
            // falls through: not one of ours
        }
        if (kind.equals("D") || kind.equals("T")) {
            throw new SyncStateGone();
        }
        throw new BadRequest(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can "
                + "no longer be included in your request.");
    }

    private static String base(HttpServerRequest request) {
        return (request.isSSL() ? "https://" : "http://") + authority(request) + "/v1.0";
    }

    /** Host and port the client addressed (Host header, or :authority over HTTP/2), else the listener's own. */
    static String authority(HttpServerRequest request) {
        io.vertx.core.net.HostAndPort authority = request.authority();
        if (authority != null) {
            return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
        }
        return "127.0.0.1:" + request.localAddress().port();
    }

    // ---------------------------------------------------------------- responses

    private static void ok(HttpServerRequest request, StringBuilder body) {
        HttpServerResponse response = request.response();
        commonHeaders(request, response);
        response.setStatusCode(200).putHeader("Content-Type", JSON).end(Buffer.buffer(body.toString()));
    }

    static void error(HttpServerRequest request, int status, String code, String message, String location) {
        HttpServerResponse response = request.response();
        String requestId = commonHeaders(request, response);
        StringBuilder out = new StringBuilder(256).append("{\"error\":{\"code\":");
        Json.string(out, code).append(",\"message\":");
        Json.string(out, message).append(",\"innerError\":{\"date\":");
        Json.string(out, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ""))
                .append(",\"request-id\":");
        Json.string(out, requestId).append(",\"client-request-id\":");
        Json.string(out, response.headers().get("client-request-id")).append("}}}");
        if (location != null) {
            response.putHeader("Location", location);
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(out.toString());
    }

    private static String commonHeaders(HttpServerRequest request, HttpServerResponse response) {
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = request.getHeader("client-request-id");
        response.putHeader("request-id", requestId)
                .putHeader("client-request-id", clientRequestId == null ? requestId : clientRequestId)
                .putHeader("Cache-Control", "no-cache");
        return requestId;
    }

    /** A request the emulator refuses with an OData error. */
    static class BadRequest extends RuntimeException {
        final int status;
        final String code;

        BadRequest(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** An expired or unknown delta token: 410 Gone with {@code syncStateNotFound}, as Graph answers it. */
    static final class SyncStateGone extends BadRequest {
        SyncStateGone() {
            super(410, "syncStateNotFound", "The sync state generation is not found. The delta token is expired and "
                    + "data must be synchronized again.");
        }
    }
}
