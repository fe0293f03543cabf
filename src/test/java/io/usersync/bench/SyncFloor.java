package io.usersync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.usersync.emulator.google.ServiceAccount;
import io.usersync.testing.TestDatabaseServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The raw floor of a full sync: the same pages fetched with a bare {@link HttpClient} (token request included),
 * parsed with Jackson, and the same user, history and outbox rows inserted with plain JDBC batches, one
 * transaction per page; fetching overlaps inserting (one page ahead), as in the engine. No SDK, no ORM, no
 * planning, no guards, no per-connection member view. The rows go to tables of their own database, created
 * {@code LIKE} the service's (same indexes, no foreign keys).
 */
final class SyncFloor implements AutoCloseable {

    /** One directory user as the floor keeps it. */
    record Person(String externalId, String email, String first, String last, boolean active) {
    }

    private static final Person[] END = new Person[0];

    private final Bench bench;
    private final String database;
    private final HttpClient http;

    SyncFloor(Bench bench) throws Exception {
        this.bench = bench;
        database = TestDatabaseServer.createDatabase("floor");
        try (Connection c = TestDatabaseServer.connect(database); Statement s = c.createStatement()) {
            for (String table : List.of("app_user", "user_status_event", "outbox")) {
                s.execute("CREATE TABLE " + table + " LIKE " + bench.database + "." + table);
            }
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("emulator", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(bench.graph.certificatePem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    void truncate() throws SQLException {
        try (Connection c = TestDatabaseServer.connect(database); Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE app_user");
            s.execute("TRUNCATE TABLE user_status_event");
            s.execute("TRUNCATE TABLE outbox");
        }
    }

    @Override
    public void close() {
        TestDatabaseServer.dropDatabase(database);
    }

    // ---------------------------------------------------------------- Graph

    /** Token, then one delta round over all users (999 per page), inserted. Returns users inserted. */
    int graph(String tenantId, String appId, String secret, UUID msp, UUID client) throws Exception {
        String form = "client_id=" + enc(appId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc("https://graph.microsoft.com/.default") + "&grant_type=client_credentials";
        JsonNode token = send(HttpRequest.newBuilder(URI.create(bench.graph.authorityHost() + "/" + tenantId
                + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        String bearer = "Bearer " + token.get("access_token").asText();
        String first = bench.graph.graphBaseUrl() + "/users/delta?$select="
                + "id,userPrincipalName,mail,givenName,surname,accountEnabled,userType,proxyAddresses,otherMails";
        return pipeline(msp, client, pages -> {
            String next = first;
            while (next != null) {
                JsonNode page = send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", bearer)
                        .header("Prefer", "odata.maxpagesize=999").GET().build());
                JsonNode values = page.get("value");
                Person[] people = new Person[values.size()];
                for (int i = 0; i < people.length; i++) {
                    JsonNode u = values.get(i);
                    String mail = u.path("mail").asText(null);
                    people[i] = new Person(u.get("id").asText(), mail != null ? mail
                            : u.get("userPrincipalName").asText(), u.path("givenName").asText(""),
                            u.path("surname").asText(""), u.path("accountEnabled").asBoolean(true));
                }
                pages.put(people);
                next = page.path("@odata.nextLink").asText(null);
            }
        });
    }

    // ---------------------------------------------------------------- Google

    /** Token (RS256 JWT bearer grant), then {@code users.list} of the domain (500 per page), inserted. */
    int google(ServiceAccount account, String subject, String domain, UUID msp, UUID client) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = b64(("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + account.keyId() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"iss\":\"" + account.clientEmail() + "\",\"sub\":\"" + subject
                + "\",\"scope\":\"https://www.googleapis.com/auth/admin.directory.user.readonly\","
                + "\"aud\":\"https://oauth2.googleapis.com/token\",\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + "}").getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(account.keys().getPrivate());
        rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String assertion = header + "." + claims + "." + b64(rsa.sign());
        JsonNode token = send(HttpRequest.newBuilder(URI.create(bench.google.tokenUri()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type="
                        + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion=" + assertion)).build());
        String bearer = "Bearer " + token.get("access_token").asText();
        String base = bench.google.rootUrl() + "admin/directory/v1/users?domain=" + enc(domain)
                + "&maxResults=500&fields=" + enc("nextPageToken,users(id,primaryEmail,name(givenName,familyName),"
                        + "suspended,archived,aliases,nonEditableAliases)");
        return pipeline(msp, client, pages -> {
            String pageToken = null;
            do {
                JsonNode page = send(HttpRequest.newBuilder(URI.create(base + (pageToken == null ? ""
                        : "&pageToken=" + enc(pageToken)))).header("Authorization", bearer).GET().build());
                JsonNode users = page.path("users");
                Person[] people = new Person[users.size()];
                for (int i = 0; i < people.length; i++) {
                    JsonNode u = users.get(i);
                    people[i] = new Person(u.get("id").asText(), u.get("primaryEmail").asText(),
                            u.path("name").path("givenName").asText(""), u.path("name").path("familyName").asText(""),
                            !u.path("suspended").asBoolean(false) && !u.path("archived").asBoolean(false));
                }
                pages.put(people);
                pageToken = page.path("nextPageToken").asText(null);
            } while (pageToken != null);
        });
    }

    // ---------------------------------------------------------------- shared

    interface Fetcher {
        void fetch(BlockingQueue<Person[]> pages) throws Exception;
    }

    private int pipeline(UUID msp, UUID client, Fetcher fetcher) throws Exception {
        BlockingQueue<Person[]> pages = new ArrayBlockingQueue<>(2);
        CompletableFuture<Void> fetch = CompletableFuture.runAsync(() -> {
            try {
                fetcher.fetch(pages);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                try {
                    pages.put(END);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        int inserted = 0;
        try (Connection c = TestDatabaseServer.connect(database)) {
            c.setAutoCommit(false);
            PreparedStatement user = c.prepareStatement("INSERT INTO app_user (id, msp_id, client_id, first_name,"
                    + " last_name, email, email_key, active, admin, source, external_id, external_key, created_at,"
                    + " updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'M365', ?, ?, ?, ?, 0)");
            PreparedStatement history = c.prepareStatement("INSERT INTO user_status_event (id, msp_id, client_id,"
                    + " user_id, old_active, new_active, cause, actor, sync_run_id, occurred_at)"
                    + " VALUES (?, ?, ?, ?, NULL, ?, 'SYNC', 'sync:floor', NULL, ?)");
            PreparedStatement outbox = c.prepareStatement("INSERT INTO outbox (event_id, msp_id, kind, client_id,"
                    + " user_id, occurred_at, was_active, now_active) VALUES (?, ?, 'USER_ACTIVE', ?, ?, ?, NULL, ?)");
            byte[] mspId = bytes(msp);
            byte[] clientId = bytes(client);
            while (true) {
                Person[] page = pages.take();
                if (page == END) {
                    break;
                }
                Timestamp now = Timestamp.from(Instant.now());
                for (Person p : page) {
                    byte[] id = bytes(UUID.randomUUID());
                    byte[] event = bytes(UUID.randomUUID());
                    user.setBytes(1, id);
                    user.setBytes(2, mspId);
                    user.setBytes(3, clientId);
                    user.setString(4, p.first());
                    user.setString(5, p.last());
                    user.setString(6, p.email());
                    user.setString(7, p.email().toLowerCase(java.util.Locale.ROOT));
                    user.setBoolean(8, p.active());
                    user.setString(9, p.externalId());
                    user.setString(10, p.externalId());
                    user.setTimestamp(11, now);
                    user.setTimestamp(12, now);
                    user.addBatch();
                    history.setBytes(1, event);
                    history.setBytes(2, mspId);
                    history.setBytes(3, clientId);
                    history.setBytes(4, id);
                    history.setBoolean(5, p.active());
                    history.setTimestamp(6, now);
                    history.addBatch();
                    outbox.setBytes(1, event);
                    outbox.setBytes(2, mspId);
                    outbox.setBytes(3, clientId);
                    outbox.setBytes(4, id);
                    outbox.setTimestamp(5, now);
                    outbox.setBoolean(6, p.active());
                    outbox.addBatch();
                }
                user.executeBatch();
                history.executeBatch();
                outbox.executeBatch();
                c.commit();
                inserted += page.length;
            }
        }
        fetch.join();
        return inserted;
    }

    private JsonNode send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Bench.JSON.readTree(response.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    static List<String> tables() {
        return new ArrayList<>(List.of("app_user", "user_status_event", "outbox"));
    }
}
