package io.usersync.emulator.graph;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Microsoft Entra ID and Microsoft Graph v1.0, for tests and the demo: the real Graph SDK
 * and azure-identity talk to it over real HTTP. Two listeners on loopback, both on ports chosen by the OS unless
 * given: Graph on plain HTTP ({@link #graphBaseUrl()}; the Graph SDK's token provider accepts http only for
 * localhost) and the Azure AD authority on HTTPS ({@link #authorityHost()}) with a self-signed certificate
 * generated at start ({@link #certificatePem()}), because MSAL refuses non-https authorities.
 * <p>
 * Built on Vert.x core (already on the classpath through Quarkus) with its own {@link Vertx} instance, so it can
 * start before, and independently of, the Quarkus application; its event loops serve 999-user pages without
 * blocking. Nothing here runs unless {@link #start} is called: the service never starts it by itself, and
 * production builds leave this package out.
 * <p>
 * Tenants are independent directories ({@link #createTenant}); a token issued for a tenant reads only that
 * tenant. Tests script users, groups, faults and app registrations through {@link GraphTenant}.
 */
public final class GraphEmulator implements AutoCloseable {

    /** An access token the emulator issued. */
    record Issued(GraphTenant tenant, String clientId, Instant expiresAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final HttpServer graphServer;
    private final HttpServer loginServer;
    private final SelfSignedCertificate certificate;
    private final Map<String, GraphTenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final GraphApi graphApi = new GraphApi(this);
    private final AzureAdEndpoint azureAd = new AzureAdEndpoint(this);

    private GraphEmulator(Vertx vertx, HttpServer graphServer, HttpServer loginServer,
            SelfSignedCertificate certificate) {
        this.vertx = vertx;
        this.graphServer = graphServer;
        this.loginServer = loginServer;
        this.certificate = certificate;
    }

    /** Starts both listeners on random loopback ports. */
    public static GraphEmulator start() {
        return start(0, 0);
    }

    /** Starts the listeners on the given loopback ports (0: chosen by the OS). */
    public static GraphEmulator start(int graphPort, int loginPort) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        try {
            SelfSignedCertificate certificate = SelfSignedCertificate.generate("usersync graph emulator",
                    Duration.ofDays(30));
            GraphEmulator[] self = new GraphEmulator[1];
            HttpServer graph = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(false))
                    .requestHandler(request -> self[0].graphApi.handle(request));
            HttpServer login = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertValue(Buffer.buffer(certificate.certificatePem()))
                            .setKeyValue(Buffer.buffer(certificate.privateKeyPem()))))
                    .requestHandler(request -> self[0].azureAd.handle(request));
            GraphEmulator emulator = new GraphEmulator(vertx, graph, login, certificate);
            self[0] = emulator;
            await(graph.listen(graphPort, "127.0.0.1").toCompletionStage().toCompletableFuture());
            await(login.listen(loginPort, "127.0.0.1").toCompletionStage().toCompletableFuture());
            return emulator;
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** The Graph base URL to configure ({@code usersync.sync.m365.graph-base-url}). */
    public String graphBaseUrl() {
        return "http://127.0.0.1:" + graphServer.actualPort() + "/v1.0";
    }

    /** The authority host to configure ({@code usersync.sync.m365.authority-host}). */
    public String authorityHost() {
        return "https://127.0.0.1:" + loginServer.actualPort();
    }

    /** The certificate of the HTTPS authority, for the client's trust configuration. */
    public String certificatePem() {
        return certificate.certificatePem();
    }

    /** Writes {@link #certificatePem()} to a file (for {@code usersync.sync.m365.trusted-certificate}). */
    public Path writeCertificate(Path file) throws IOException {
        Files.writeString(file, certificatePem());
        return file;
    }

    /** Creates (or returns) the tenant with this id (a GUID) and primary domain. */
    public GraphTenant createTenant(String tenantId, String domain) {
        GraphTenant tenant = tenants.computeIfAbsent(tenantId.toLowerCase(Locale.ROOT),
                id -> new GraphTenant(id, domain.toLowerCase(Locale.ROOT)));
        tenants.putIfAbsent(domain.toLowerCase(Locale.ROOT), tenant);
        return tenant;
    }

    /** The tenant known by this id or domain. */
    public GraphTenant tenant(String idOrDomain) {
        GraphTenant tenant = tenantOrNull(idOrDomain);
        if (tenant == null) {
            throw new IllegalArgumentException("no emulated tenant " + idOrDomain);
        }
        return tenant;
    }

    GraphTenant tenantOrNull(String idOrDomain) {
        return idOrDomain == null ? null : tenants.get(idOrDomain.toLowerCase(Locale.ROOT));
    }

    String issueToken(GraphTenant tenant, String clientId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = "emu." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = Instant.now();
        tokens.values().removeIf(issued -> issued.expiresAt().isBefore(now));
        tokens.put(token, new Issued(tenant, clientId, now.plus(Duration.ofSeconds(3599))));
        return token;
    }

    Issued token(String token) {
        return tokens.get(token);
    }

    /** Makes every token issued so far unusable (Graph answers 401 to them). */
    public void revokeTokens() {
        tokens.clear();
    }

    /**
     * Loads a small demo directory into tenant {@code demo.onmicrosoft.com}: a dozen employees (one with
     * aliases, one without a mailbox, one disabled), a guest, and nested groups {@code All Staff} ⊃
     * {@code Engineering}. The app registration to use is {@link DemoDataset#CLIENT_ID} with
     * {@link DemoDataset#CLIENT_SECRET}.
     */
    public DemoDataset loadDemoDataset() {
        return DemoDataset.load(this);
    }

    @Override
    public void close() {
        try {
            await(graphServer.close().toCompletionStage().toCompletableFuture());
            await(loginServer.close().toCompletionStage().toCompletableFuture());
        } finally {
            vertx.close();
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("graph emulator: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the emulator on its own, with the demo dataset and optionally a large seeded tenant, until killed.
     * Arguments: {@code [graphPort] [loginPort] [seededUsers]}.
     */
    public static void main(String[] args) throws Exception {
        int graphPort = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int loginPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        GraphEmulator emulator = start(graphPort, loginPort);
        DemoDataset demo = emulator.loadDemoDataset();
        if (args.length > 2) {
            demo.tenant().seedUsers(Integer.parseInt(args[2]), 42);
        }
        Path certificate = emulator.writeCertificate(Files.createTempFile("graph-emulator", ".pem"));
        System.out.println("usersync.sync.m365.graph-base-url=" + emulator.graphBaseUrl());
        System.out.println("usersync.sync.m365.authority-host=" + emulator.authorityHost());
        System.out.println("usersync.sync.m365.trusted-certificate=" + certificate);
        System.out.println("usersync.sync.m365.instance-discovery=false");
        System.out.println("tenant " + demo.tenant().tenantId() + " client " + DemoDataset.CLIENT_ID + " secret "
                + DemoDataset.CLIENT_SECRET);
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        Thread.currentThread().join();
    }
}
