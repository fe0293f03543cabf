package io.usersync.emulator.google;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.usersync.emulator.google.FaultRule.Target;
import io.usersync.emulator.google.GoogleWorkspace.EmGroup;
import io.usersync.emulator.google.GoogleWorkspace.EmUser;
import io.usersync.emulator.google.GoogleWorkspace.Member;
import io.usersync.emulator.google.GoogleWorkspace.MemberType;
import io.usersync.emulator.google.GoogleWorkspace.OrgUnit;
import io.usersync.emulator.google.GoogleWorkspace.UserFilter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server speaking the Admin SDK Directory API v1 and Google's OAuth token endpoint, so the real SDKs can
 * be tested against it over HTTP. Nothing starts it but an explicit {@link #start}: it is a plain class (no CDI),
 * used by tests, the demo and benchmarks only, and left out of production builds.
 * <p>
 * Served: {@code GET /admin/directory/v1/users} ({@code customer} or {@code domain}, {@code maxResults} 1–500,
 * {@code pageToken}/{@code nextPageToken}, {@code query} with {@code orgUnitPath} (sub-units included),
 * {@code isSuspended}, {@code isArchived}, {@code isAdmin}), {@code GET /admin/directory/v1/users/{userKey}},
 * {@code GET /admin/directory/v1/groups/{groupKey}/members} ({@code includeDerivedMembership}, {@code maxResults}
 * 1–200, paging; members of type USER, GROUP and CUSTOMER with {@code status}), the {@code fields} partial-response
 * selector (validated against the resource, nested selections honoured), {@code prettyPrint} (default true, as
 * Google), gzip, bearer-token checks with Google's 401/403 bodies (missing or invalid token, missing scope, subject
 * not an administrator) and {@code POST /token} ({@link TokenEndpoint}). Errors use Google's JSON error body
 * {@code {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}}.
 * <p>
 * Scriptable: the {@link #workspace()} data, a cap on page sizes, {@link FaultRule}s at a chosen page, and a log
 * of the requests received. Runs on Vert.x core (on the classpath through Quarkus) with its own {@link Vertx}
 * instance, so it can start before Quarkus does; Vert.x was chosen over the JDK server because it can drop a TCP
 * connection without any response (the connection-reset fault) and serves large pages without a thread per
 * request.
 */
public final class GoogleEmulator implements AutoCloseable {

    static final String API = "/admin/directory/v1/";
    private static final String USER_READ = "https://www.googleapis.com/auth/admin.directory.user.readonly";
    private static final String USER_WRITE = "https://www.googleapis.com/auth/admin.directory.user";
    private static final String MEMBER_READ = "https://www.googleapis.com/auth/admin.directory.group.member.readonly";
    private static final String MEMBER_WRITE = "https://www.googleapis.com/auth/admin.directory.group.member";
    private static final String GROUP_READ = "https://www.googleapis.com/auth/admin.directory.group.readonly";
    private static final String GROUP_WRITE = "https://www.googleapis.com/auth/admin.directory.group";
    private static final String CLOUD = "https://www.googleapis.com/auth/cloud-platform";
    private static final int MAX_LOG = 10_000;
    private static final long CREATED_BASE = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final JsonFactory JSON = new JsonFactory();
    /** A page cut off in the middle of a user: what a broken proxy or a crashed backend may deliver. */
    private static final byte[] TRUNCATED_PAGE = ("{\n  \"kind\": \"admin#directory#users\",\n  \"users\": [\n"
            + "    {\n      \"id\": \"1000").getBytes(StandardCharsets.UTF_8);

    private static final FieldMask.Schema USER_SCHEMA = new FieldMask.Schema()
            .leaf("kind", "id", "etag", "primaryEmail", "isAdmin", "isDelegatedAdmin", "lastLoginTime",
                    "creationTime", "deletionTime", "agreedToTerms", "suspended", "suspensionReason", "archived",
                    "changePasswordAtNextLogin", "ipWhitelisted", "aliases", "nonEditableAliases", "customerId",
                    "orgUnitPath", "isMailboxSetup", "isEnrolledIn2Sv", "isEnforcedIn2Sv",
                    "includeInGlobalAddressList", "thumbnailPhotoUrl", "thumbnailPhotoEtag", "recoveryEmail",
                    "recoveryPhone", "isGuestUser", "guestAccountInfo", "password", "hashFunction", "gender",
                    "languages", "customSchemas", "externalIds", "relations", "addresses", "organizations", "phones",
                    "ims", "keywords", "locations", "posixAccounts", "sshPublicKeys", "notes", "websites")
            .nested("name", new FieldMask.Schema().leaf("givenName", "familyName", "fullName", "displayName"))
            .nested("emails", new FieldMask.Schema().leaf("address", "primary", "type", "customType"));
    private static final FieldMask.Schema USERS_SCHEMA = new FieldMask.Schema()
            .leaf("kind", "etag", "nextPageToken", "trigger_event").nested("users", USER_SCHEMA);
    private static final FieldMask.Schema MEMBER_SCHEMA = new FieldMask.Schema()
            .leaf("kind", "etag", "id", "email", "role", "type", "status", "delivery_settings");
    private static final FieldMask.Schema MEMBERS_SCHEMA = new FieldMask.Schema()
            .leaf("kind", "etag", "nextPageToken").nested("members", MEMBER_SCHEMA);

    private final GoogleWorkspace workspace;
    private final Vertx vertx;
    private final HttpServer server;
    private final String rootUrl;
    private final TokenEndpoint tokens;
    private final List<FaultRule> faults = new ArrayList<>();
    private final Deque<RecordedRequest> log = new ArrayDeque<>();
    private final AtomicInteger listRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile int maxPageSize = Integer.MAX_VALUE;

    private GoogleEmulator(GoogleWorkspace workspace, Vertx vertx, HttpServer server, String rootUrl) {
        this.workspace = workspace;
        this.vertx = vertx;
        this.server = server;
        this.rootUrl = rootUrl;
        this.tokens = new TokenEndpoint(workspace, rootUrl + "token");
    }

    /** Starts on 127.0.0.1 with an empty Workspace (customer {@link GoogleWorkspace#DEFAULT_CUSTOMER_ID}). */
    public static GoogleEmulator start(int port, String primaryDomain) {
        return start("127.0.0.1", port, new GoogleWorkspace(GoogleWorkspace.DEFAULT_CUSTOMER_ID, primaryDomain));
    }

    /** Starts serving {@code workspace} on {@code host:port} (port 0: any free port). */
    public static GoogleEmulator start(String host, int port, GoogleWorkspace workspace) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                    .setCompressionSupported(true).setCompressionLevel(1));
            GoogleEmulator[] self = new GoogleEmulator[1];
            server.requestHandler(request -> self[0].handle(request));
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            self[0] = new GoogleEmulator(workspace, vertx, server, "http://" + host + ":" + server.actualPort() + "/");
            return self[0];
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("could not start the Google emulator on " + host + ":" + port, e);
        }
    }

    /** For {@code usersync.sync.google.root-url}: {@code http://127.0.0.1:PORT/}. */
    public String rootUrl() {
        return rootUrl;
    }

    /** For {@code usersync.sync.google.token-uri}. */
    public String tokenUri() {
        return rootUrl + "token";
    }

    public int port() {
        return server.actualPort();
    }

    public GoogleWorkspace workspace() {
        return workspace;
    }

    /** Forgets the Workspace's data, faults, page cap, issued tokens and the request log. */
    public void reset() {
        workspace.reset();
        synchronized (this) {
            faults.clear();
            log.clear();
        }
        tokens.forgetTokens();
        maxPageSize = Integer.MAX_VALUE;
        listRequests.set(0);
        tokenRequests.set(0);
    }

    /** Caps the number of entries per page, whatever {@code maxResults} asks. */
    public void maxPageSize(int size) {
        maxPageSize = Math.max(1, size);
    }

    public synchronized void inject(FaultRule rule) {
        faults.add(rule);
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    /** The requests received, oldest first (the last 10,000). */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(log);
    }

    public synchronized void clearRequestLog() {
        log.clear();
    }

    /** Directory API requests received (users and members), token requests excluded. */
    public int listRequests() {
        return listRequests.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        } finally {
            vertx.close();
        }
    }

    // ---------------------------------------------------------------- routing

    private void handle(HttpServerRequest request) {
        String path = request.path();
        try {
            if (path.equals("/token")) {
                if (request.method() != HttpMethod.POST) {
                    sendError(request, 405, "Method Not Allowed", "methodNotAllowed", "global", null);
                    return;
                }
                request.body().onSuccess(body -> token(request, body.toString(StandardCharsets.UTF_8)))
                        .onFailure(e -> request.connection().close());
                return;
            }
            if (!path.startsWith(API)) {
                sendError(request, 404, "Not Found", "notFound", "global", null);
                return;
            }
            if (request.method() != HttpMethod.GET) {
                sendError(request, 405, "Method Not Allowed", "methodNotAllowed", "global", null);
                return;
            }
            String rest = path.substring(API.length());
            String[] segments = rest.split("/", -1);
            if (segments.length == 1 && segments[0].equals("users")) {
                listRequests.incrementAndGet();
                listUsers(request);
            } else if (segments.length == 2 && segments[0].equals("users") && !segments[1].isEmpty()) {
                listRequests.incrementAndGet();
                getUser(request, decode(segments[1]));
            } else if (segments.length == 3 && segments[0].equals("groups") && segments[2].equals("members")) {
                listRequests.incrementAndGet();
                listMembers(request, decode(segments[1]));
            } else {
                sendError(request, 404, "Not Found", "notFound", "global", null);
            }
        } catch (RuntimeException e) {
            sendError(request, 500, "Internal error encountered.", "backendError", "global", null);
        }
    }

    // ---------------------------------------------------------------- token endpoint

    private void token(HttpServerRequest request, String body) {
        tokenRequests.incrementAndGet();
        FaultRule fault = takeFault(Target.TOKEN, 0);
        if (fault != null) {
            sendFault(request, fault);
            return;
        }
        TokenEndpoint.Answer answer = tokens.handle(body, Instant.now());
        byte[] json = write(false, g -> {
            g.writeStartObject();
            for (Map.Entry<String, Object> entry : answer.body().entrySet()) {
                if (entry.getValue() instanceof Number n) {
                    g.writeNumberField(entry.getKey(), n.longValue());
                } else {
                    g.writeStringField(entry.getKey(), String.valueOf(entry.getValue()));
                }
            }
            g.writeEndObject();
        });
        send(request, answer.status(), json, Map.of("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"));
    }

    // ---------------------------------------------------------------- users

    private void listUsers(HttpServerRequest request) {
        TokenEndpoint.Grant grant = authorize(request, USER_READ, USER_WRITE);
        if (grant == null) {
            return;
        }
        FieldMask mask;
        int size;
        PageToken token;
        UserFilter filter;
        try {
            mask = FieldMask.parse(request.getParam("fields"), USERS_SCHEMA);
            size = pageSize(request, 100, 500);
            token = PageToken.decode(request.getParam("pageToken"));
        } catch (BadRequest e) {
            sendError(request, 400, e.getMessage(), e.reason, "global", e.location);
            return;
        } catch (FieldMask.InvalidSelection e) {
            sendError(request, 400, e.getMessage(), "invalidParameter", "global", "fields");
            return;
        }
        String customer = request.getParam("customer");
        String domain = request.getParam("domain");
        synchronized (workspace) {
            if ((customer == null || customer.isEmpty()) && (domain == null || domain.isEmpty())) {
                sendError(request, 400, "Bad Request", "badRequest", "global", null);
                return;
            }
            if (customer != null && !customer.isEmpty() && !customer.equals("my_customer")
                    && !customer.equals(workspace.customerId())) {
                sendError(request, 400, "Bad Request", "badRequest", "global", null);
                return;
            }
            if (domain != null && !domain.isEmpty() && !workspace.hasDomain(domain)) {
                sendError(request, 400, "Domain not found.", "badRequest", "global", null);
                return;
            }
            try {
                filter = filter(request.getParam("query"), domain == null || domain.isEmpty() ? null
                        : domain.toLowerCase(Locale.ROOT));
            } catch (BadRequest e) {
                sendError(request, 400, e.getMessage(), e.reason, "global", null);
                return;
            }
        }
        if (!administers(request, grant)) {
            return;
        }
        FaultRule fault = takeFault(Target.USERS, token.page());
        if (fault != null) {
            sendFault(request, fault);
            return;
        }
        boolean pretty = prettyPrint(request);
        byte[] json;
        synchronized (workspace) {
            GoogleWorkspace.UserSlice slice = workspace.listUsers(filter, token.after(), size);
            String next = slice.more() ? new PageToken(token.page() + 1, slice.users().getLast().num).encode() : null;
            json = write(pretty, g -> {
                g.writeStartObject();
                if (mask.includes("kind")) {
                    g.writeStringField("kind", "admin#directory#users");
                }
                if (mask.includes("etag")) {
                    g.writeStringField("etag", "\"emu-users-" + token.page() + "\"");
                }
                if (mask.includes("users") && !slice.users().isEmpty()) {
                    FieldMask userMask = mask.child("users");
                    g.writeArrayFieldStart("users");
                    for (EmUser user : slice.users()) {
                        writeUser(g, user, userMask);
                    }
                    g.writeEndArray();
                }
                if (next != null && mask.includes("nextPageToken")) {
                    g.writeStringField("nextPageToken", next);
                }
                g.writeEndObject();
            });
        }
        send(request, 200, json, Map.of());
    }

    private void getUser(HttpServerRequest request, String userKey) {
        TokenEndpoint.Grant grant = authorize(request, USER_READ, USER_WRITE);
        if (grant == null) {
            return;
        }
        FieldMask mask;
        try {
            mask = FieldMask.parse(request.getParam("fields"), USER_SCHEMA);
        } catch (FieldMask.InvalidSelection e) {
            sendError(request, 400, e.getMessage(), "invalidParameter", "global", "fields");
            return;
        }
        if (!administers(request, grant)) {
            return;
        }
        byte[] json;
        synchronized (workspace) {
            EmUser user = workspace.lookup(userKey);
            if (user == null) {
                sendError(request, 404, "Resource Not Found: userKey", "notFound", "global", null);
                return;
            }
            json = write(prettyPrint(request), g -> writeUser(g, user, mask));
        }
        send(request, 200, json, Map.of());
    }

    private void writeUser(JsonGenerator g, EmUser user, FieldMask mask) throws IOException {
        g.writeStartObject();
        if (mask.includes("kind")) {
            g.writeStringField("kind", "admin#directory#user");
        }
        if (mask.includes("id")) {
            g.writeStringField("id", user.id());
        }
        if (mask.includes("etag")) {
            g.writeStringField("etag", "\"emu-" + Long.toHexString(user.num) + "-" + user.version + "\"");
        }
        if (mask.includes("primaryEmail")) {
            g.writeStringField("primaryEmail", user.email);
        }
        if (mask.includes("name")) {
            FieldMask name = mask.child("name");
            g.writeObjectFieldStart("name");
            if (name.includes("givenName") && user.givenName != null) {
                g.writeStringField("givenName", user.givenName);
            }
            if (name.includes("familyName") && user.familyName != null) {
                g.writeStringField("familyName", user.familyName);
            }
            if (name.includes("fullName")) {
                g.writeStringField("fullName", ((user.givenName == null ? "" : user.givenName) + " "
                        + (user.familyName == null ? "" : user.familyName)).strip());
            }
            g.writeEndObject();
        }
        bool(g, mask, "isAdmin", user.admin);
        bool(g, mask, "isDelegatedAdmin", false);
        if (mask.includes("lastLoginTime")) {
            g.writeStringField("lastLoginTime", "1970-01-01T00:00:00.000Z");
        }
        if (mask.includes("creationTime")) {
            g.writeStringField("creationTime", DateTimeFormatter.ISO_INSTANT.format(
                    Instant.ofEpochMilli(CREATED_BASE + user.num * 60_000L)));
        }
        bool(g, mask, "agreedToTerms", true);
        bool(g, mask, "suspended", user.suspended);
        if (user.suspended && mask.includes("suspensionReason")) {
            g.writeStringField("suspensionReason", "ADMIN");
        }
        bool(g, mask, "archived", user.archived);
        bool(g, mask, "changePasswordAtNextLogin", false);
        bool(g, mask, "ipWhitelisted", false);
        if (mask.includes("emails")) {
            FieldMask emails = mask.child("emails");
            g.writeArrayFieldStart("emails");
            writeEmail(g, emails, user.email, true);
            for (String alias : user.aliases) {
                writeEmail(g, emails, alias, false);
            }
            g.writeEndArray();
        }
        strings(g, mask, "aliases", user.aliases);
        strings(g, mask, "nonEditableAliases", user.nonEditableAliases);
        if (mask.includes("customerId")) {
            g.writeStringField("customerId", workspace.customerId());
        }
        if (mask.includes("orgUnitPath")) {
            g.writeStringField("orgUnitPath", user.unit.path);
        }
        bool(g, mask, "isMailboxSetup", true);
        bool(g, mask, "isEnrolledIn2Sv", false);
        bool(g, mask, "isEnforcedIn2Sv", false);
        bool(g, mask, "includeInGlobalAddressList", true);
        g.writeEndObject();
    }

    private static void writeEmail(JsonGenerator g, FieldMask mask, String address, boolean primary)
            throws IOException {
        g.writeStartObject();
        if (mask.includes("address")) {
            g.writeStringField("address", address);
        }
        if (primary && mask.includes("primary")) {
            g.writeBooleanField("primary", true);
        }
        g.writeEndObject();
    }

    private static void bool(JsonGenerator g, FieldMask mask, String field, boolean value) throws IOException {
        if (mask.includes(field)) {
            g.writeBooleanField(field, value);
        }
    }

    /** Google leaves empty lists out. */
    private static void strings(JsonGenerator g, FieldMask mask, String field, String[] values) throws IOException {
        if (values.length > 0 && mask.includes(field)) {
            g.writeArrayFieldStart(field);
            for (String value : values) {
                g.writeString(value);
            }
            g.writeEndArray();
        }
    }

    /** The {@code query} of {@code users.list}: space-separated {@code field=value} clauses, all of which must hold. */
    private UserFilter filter(String query, String domain) throws BadRequest {
        OrgUnit unit = null;
        Boolean suspended = null;
        Boolean archived = null;
        Boolean admin = null;
        if (query != null && !query.isBlank()) {
            for (String clause : clauses(query)) {
                int eq = clause.indexOf('=');
                if (eq <= 0) {
                    throw new BadRequest("Invalid Input: " + query, "invalid", null);
                }
                String field = clause.substring(0, eq);
                String value = unquote(clause.substring(eq + 1));
                switch (field) {
                    case "orgUnitPath" -> {
                        unit = workspace.existingUnit(value);
                        if (unit == null) {
                            throw new BadRequest("Invalid Input: INVALID_OU_ID", "invalid", null);
                        }
                    }
                    case "isSuspended" -> suspended = bool(value, query);
                    case "isArchived" -> archived = bool(value, query);
                    case "isAdmin" -> admin = bool(value, query);
                    default -> throw new BadRequest("Invalid Input: " + query, "invalid", null);
                }
            }
        }
        return new UserFilter(domain, unit, suspended, archived, admin);
    }

    private static Boolean bool(String value, String query) throws BadRequest {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new BadRequest("Invalid Input: " + query, "invalid", null);
        };
    }

    private static List<String> clauses(String query) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : query.strip().toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ' ' && !quoted) {
                if (!current.isEmpty()) {
                    clauses.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            clauses.add(current.toString());
        }
        return clauses;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\"")) ? value.substring(1, value.length() - 1) : value;
    }

    // ---------------------------------------------------------------- members

    private void listMembers(HttpServerRequest request, String groupKey) {
        TokenEndpoint.Grant grant = authorize(request, MEMBER_READ, MEMBER_WRITE, GROUP_READ, GROUP_WRITE);
        if (grant == null) {
            return;
        }
        FieldMask mask;
        int size;
        PageToken token;
        try {
            mask = FieldMask.parse(request.getParam("fields"), MEMBERS_SCHEMA);
            size = pageSize(request, 200, 200);
            token = PageToken.decode(request.getParam("pageToken"));
        } catch (BadRequest e) {
            sendError(request, 400, e.getMessage(), e.reason, "global", e.location);
            return;
        } catch (FieldMask.InvalidSelection e) {
            sendError(request, 400, e.getMessage(), "invalidParameter", "global", "fields");
            return;
        }
        if (!administers(request, grant)) {
            return;
        }
        boolean derived = "true".equalsIgnoreCase(request.getParam("includeDerivedMembership"));
        byte[] json;
        synchronized (workspace) {
            EmGroup group = workspace.group(groupKey);
            if (group == null) {
                sendError(request, 404, "Resource Not Found: groupKey", "notFound", "global", null);
                return;
            }
            FaultRule fault = takeFault(Target.MEMBERS, token.page());
            if (fault != null) {
                sendFault(request, fault);
                return;
            }
            List<Member> members = workspace.members(group, derived);
            int from = (int) Math.min(members.size(), token.after());
            int to = Math.min(members.size(), from + size);
            List<Member> page = members.subList(from, to);
            String next = to < members.size() ? new PageToken(token.page() + 1, to).encode() : null;
            FieldMask memberMask = mask.child("members");
            json = write(prettyPrint(request), g -> {
                g.writeStartObject();
                if (mask.includes("kind")) {
                    g.writeStringField("kind", "admin#directory#members");
                }
                if (mask.includes("etag")) {
                    g.writeStringField("etag", "\"emu-members-" + token.page() + "\"");
                }
                if (mask.includes("members") && !page.isEmpty()) {
                    g.writeArrayFieldStart("members");
                    for (Member member : page) {
                        writeMember(g, member, memberMask);
                    }
                    g.writeEndArray();
                }
                if (next != null && mask.includes("nextPageToken")) {
                    g.writeStringField("nextPageToken", next);
                }
                g.writeEndObject();
            });
        }
        send(request, 200, json, Map.of());
    }

    private void writeMember(JsonGenerator g, Member member, FieldMask mask) throws IOException {
        String email = null;
        String status = null;
        if (member.type() == MemberType.USER) {
            EmUser user = workspace.lookup(member.id());
            email = user == null ? null : user.email;
            status = user == null ? "UNKNOWN" : user.archived ? "ARCHIVED" : user.suspended ? "SUSPENDED" : "ACTIVE";
        } else if (member.type() == MemberType.GROUP) {
            EmGroup group = workspace.group(member.id());
            email = group == null ? null : group.email;
            status = "ACTIVE";
        }
        g.writeStartObject();
        if (mask.includes("kind")) {
            g.writeStringField("kind", "admin#directory#member");
        }
        if (mask.includes("etag")) {
            g.writeStringField("etag", "\"emu-member-" + member.id() + "\"");
        }
        if (mask.includes("id")) {
            g.writeStringField("id", member.id());
        }
        if (email != null && mask.includes("email")) {
            g.writeStringField("email", email);
        }
        if (mask.includes("role")) {
            g.writeStringField("role", "MEMBER");
        }
        if (mask.includes("type")) {
            g.writeStringField("type", member.type().name());
        }
        if (status != null && mask.includes("status")) {
            g.writeStringField("status", status);
        }
        g.writeEndObject();
    }

    // ---------------------------------------------------------------- authorisation

    /** The grant of the request's bearer token with one of the scopes, or null after answering 401/403. */
    private TokenEndpoint.Grant authorize(HttpServerRequest request, String... acceptedScopes) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            sendError(request, 401, "Request is missing required authentication credential. Expected OAuth 2 access"
                    + " token, login cookie or other valid authentication credential.", "required", "global",
                    "Authorization");
            return null;
        }
        TokenEndpoint.Grant grant = tokens.grantOf(header.substring(7).strip(), Instant.now());
        if (grant == null) {
            request.response().putHeader("WWW-Authenticate",
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
            sendError(request, 401, "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                    + " login cookie or other valid authentication credential.", "authError", "global",
                    "Authorization");
            return null;
        }
        boolean scoped = grant.scopes().contains(CLOUD);
        for (String scope : acceptedScopes) {
            scoped |= grant.scopes().contains(scope);
        }
        if (!scoped) {
            sendError(request, 403, "Request had insufficient authentication scopes.", "insufficientPermissions",
                    "global", null);
            return null;
        }
        return grant;
    }

    /** Only an active administrator of the customer may read its directory. */
    private boolean administers(HttpServerRequest request, TokenEndpoint.Grant grant) {
        boolean admin;
        synchronized (workspace) {
            EmUser subject = grant.subject() == null ? null : workspace.lookup(grant.subject());
            admin = subject != null && subject.admin && !subject.suspended && !subject.archived;
        }
        if (!admin) {
            sendError(request, 403, "Not Authorized to access this resource/api", "forbidden", "global", null);
        }
        return admin;
    }

    // ---------------------------------------------------------------- faults

    private synchronized FaultRule takeFault(Target target, int page) {
        for (Iterator<FaultRule> it = faults.iterator(); it.hasNext();) {
            FaultRule rule = it.next();
            if (rule.applies(target, page)) {
                if (rule.times() == 1) {
                    it.remove();
                } else if (rule.times() > 1) {
                    faults.set(faults.indexOf(rule), new FaultRule(rule.target(), rule.page(), rule.fault(),
                            rule.times() - 1, rule.retryAfterSeconds()));
                }
                return rule;
            }
        }
        return null;
    }

    private void sendFault(HttpServerRequest request, FaultRule rule) {
        switch (rule.fault()) {
            case SERVER_ERROR -> sendError(request, 500, "Internal error encountered.", "backendError", "global", null);
            case SERVICE_UNAVAILABLE -> sendError(request, 503, "The service is currently unavailable.",
                    "backendError", "global", null);
            case MALFORMED_JSON -> send(request, 200, TRUNCATED_PAGE, Map.of());
            case CONNECTION_RESET -> {
                record(request, 0);
                request.connection().close();
            }
            case USER_RATE_LIMIT_EXCEEDED -> sendError(request, 403, "User Rate Limit Exceeded",
                    "userRateLimitExceeded", "usageLimits", null);
            case RATE_LIMIT_EXCEEDED -> sendError(request, 403, "Rate Limit Exceeded", "rateLimitExceeded",
                    "usageLimits", null);
            case QUOTA_EXCEEDED -> sendError(request, 403, "Quota exceeded for quota metric 'Queries' and limit"
                    + " 'Queries per minute per user' of service 'admin.googleapis.com' for consumer"
                    + " 'project_number:000000000000'.", "quotaExceeded", "usageLimits", null);
            case TOO_MANY_REQUESTS -> {
                if (rule.retryAfterSeconds() != null) {
                    request.response().putHeader("Retry-After", Integer.toString(rule.retryAfterSeconds()));
                }
                sendError(request, 429, "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of"
                        + " service 'admin.googleapis.com'.", "rateLimitExceeded", "global", null);
            }
            default -> throw new IllegalStateException(rule.fault().name());
        }
    }

    // ---------------------------------------------------------------- responses

    private void sendError(HttpServerRequest request, int status, String message, String reason, String domain,
            String location) {
        String statusName = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
        byte[] json = write(true, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", status);
            g.writeStringField("message", message);
            g.writeArrayFieldStart("errors");
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeStringField("domain", domain);
            g.writeStringField("reason", reason);
            if (location != null) {
                g.writeStringField("location", location);
                g.writeStringField("locationType", location.equals("Authorization") ? "header" : "parameter");
            }
            g.writeEndObject();
            g.writeEndArray();
            g.writeStringField("status", statusName);
            g.writeEndObject();
            g.writeEndObject();
        });
        send(request, status, json, Map.of());
    }

    private void send(HttpServerRequest request, int status, byte[] json, Map<String, String> headers) {
        record(request, status);
        var response = request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=UTF-8");
        headers.forEach(response::putHeader);
        response.end(Buffer.buffer(json));
    }

    private void record(HttpServerRequest request, int status) {
        Map<String, String> query = new HashMap<>();
        request.params().forEach(entry -> query.putIfAbsent(entry.getKey(), entry.getValue()));
        RecordedRequest recorded = new RecordedRequest(request.method().name(), request.path(), Map.copyOf(query),
                status);
        synchronized (this) {
            log.addLast(recorded);
            if (log.size() > MAX_LOG) {
                log.removeFirst();
            }
        }
    }

    private interface JsonWriter {
        void write(JsonGenerator generator) throws IOException;
    }

    private static byte[] write(boolean pretty, JsonWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private int pageSize(HttpServerRequest request, int defaultSize, int max) throws BadRequest {
        String raw = request.getParam("maxResults");
        int size = defaultSize;
        if (raw != null) {
            try {
                size = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new BadRequest("Invalid value '" + raw + "'. Values must be within the range: [1, " + max + "]",
                        "invalidParameter", "maxResults");
            }
            if (size < 1 || size > max) {
                throw new BadRequest("Invalid value '" + raw + "'. Values must be within the range: [1, " + max + "]",
                        "invalidParameter", "maxResults");
            }
        }
        return Math.min(size, maxPageSize);
    }

    private static boolean prettyPrint(HttpServerRequest request) {
        return !"false".equalsIgnoreCase(request.getParam("prettyPrint"));
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A 400 with Google's message and reason. */
    private static final class BadRequest extends Exception {
        final String reason;
        final String location;

        BadRequest(String message, String reason, String location) {
            super(message, null, false, false);
            this.reason = reason;
            this.location = location;
        }
    }

    /** Opaque page token: the page number (for scripted faults) and where the next page starts. */
    private record PageToken(int page, long after) {
        static PageToken decode(String token) throws BadRequest {
            if (token == null || token.isEmpty()) {
                return new PageToken(1, 0);
            }
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
                String[] parts = text.split(":");
                if (parts.length != 3 || !parts[0].equals("emu")) {
                    throw new IllegalArgumentException();
                }
                return new PageToken(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            } catch (RuntimeException e) {
                throw new BadRequest("Invalid Input", "invalid", "pageToken");
            }
        }

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(("emu:" + page + ":" + after)
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }
}
