package io.usersync.sync.m365;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.authentication.ObservabilityOptions;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.Provider;
import io.usersync.sync.port.ReadMode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * Microsoft 365 through the official Graph SDK v6 ({@link GraphServiceClient}), app-only.
 * <ul>
 * <li>All users: {@code /users/delta} with {@code $select} and {@code Prefer: odata.maxpagesize=999} (delta
 * ignores {@code $top}). A full read is an initial delta round, so it ends with a fresh deltaLink, which the
 * engine stores; an incremental read follows the stored deltaLink. {@code @removed} entries are reported as
 * removed users; 410 Gone / {@code syncStateNotFound} / {@code resyncRequired} end the read with
 * {@link DirectoryException.Kind#DELTA_EXPIRED} so the engine reads everything instead.</li>
 * <li>Groups: {@code /groups/{id}/transitiveMembers/microsoft.graph.user} with {@code $top=999} and
 * {@code $select}: users only, nested groups resolved by Graph.</li>
 * <li>Paging follows {@code @odata.nextLink} with the SDK's {@code withUrl}, one page in memory at a time; a link
 * that points anywhere but the configured Graph endpoint is refused.</li>
 * </ul>
 * Tokens: see {@link TokenCredentials}; the SDK's auth provider sends them only to the configured Graph host.
 * Retries and failure kinds: see {@link GraphCalls}.
 */
@ApplicationScoped
public class M365Connector implements DirectoryConnector {

    /** Exactly what the engine needs of a user. */
    static final String[] SELECT = { "id", "userPrincipalName", "mail", "givenName", "surname", "accountEnabled",
            "userType", "proxyAddresses", "otherMails" };

    @Inject
    M365Config config;

    @Inject
    TokenCredentials tokenCredentials;

    private OkHttpClient http;
    private URI graphBase;

    @PostConstruct
    void init() {
        String base = config.graphBaseUrl().strip();
        graphBase = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        // The SDK's RetryHandler stays in the chain but never retries: GraphCalls owns retries (deadline, jitter).
        RetryHandlerOption noSdkRetries = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);
        OkHttpClient.Builder builder = GraphClientFactory.create(GraphClientFactory.createDefaultGraphInterceptors(
                new RequestOption[] { noSdkRetries }))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectTimeout(config.requestTimeout())
                .readTimeout(config.requestTimeout());
        M365Tls.fromConfig(config.trustedCertificate()).ifPresent(tls -> builder.sslSocketFactory(
                tls.context().getSocketFactory(), tls.trustManager()));
        http = builder.build();
    }

    @Override
    public Provider provider() {
        return Provider.M365;
    }

    @Override
    public boolean supportsDelta(PoolSpec pool) {
        return pool.allUsers();
    }

    @Override
    public String testConnection(Credentials credentials, Instant deadline) throws DirectoryException {
        Credentials.M365 m365 = m365(credentials);
        GraphCalls calls = new GraphCalls(config, deadline, m365);
        GraphServiceClient graph = client(m365, calls);
        UserCollectionResponse response = calls.call("reading one user", () -> graph.users().get(request -> {
            request.queryParameters.top = 1;
            request.queryParameters.select = SELECT;
        }));
        List<User> users = response == null || response.getValue() == null ? List.of() : response.getValue();
        if (users.isEmpty()) {
            return "token obtained for tenant " + m365.tenantId() + "; the directory has no users";
        }
        User user = users.get(0);
        String email = GraphUsers.email(user);
        return "token obtained for tenant " + m365.tenantId() + "; read user " + (email == null ? user.getId()
                : email);
    }

    @Override
    public PoolReader open(Credentials credentials, PoolSpec pool, ReadMode mode, String deltaToken,
            Instant deadline) throws DirectoryException {
        Credentials.M365 m365 = m365(credentials);
        if (mode == ReadMode.DELTA && (!pool.allUsers() || deltaToken == null)) {
            throw new DirectoryException(DirectoryException.Kind.CONFIGURATION,
                    "incremental reads exist only for the all-users pool with a stored delta link");
        }
        if (!pool.allUsers() && pool.groups().isEmpty()) {
            throw new DirectoryException(DirectoryException.Kind.CONFIGURATION, "the pool names no group");
        }
        GraphCalls calls = new GraphCalls(config, deadline, m365);
        return new GraphReader(client(m365, calls), calls, this, pool, mode == ReadMode.DELTA ? deltaToken : null,
                config.pageSize());
    }

    /** A Graph client for one read: its own token credential and deadline, the shared connection pool. */
    private GraphServiceClient client(Credentials.M365 credentials, GraphCalls calls) {
        AzureIdentityAuthenticationProvider auth = new AzureIdentityAuthenticationProvider(
                tokenCredentials.create(credentials), new String[] { graphBase.getHost() },
                new ObservabilityOptions(), false, config.scope());
        OkHttpClient perRead = http.newBuilder().addInterceptor(calls.interceptor()).build();
        GraphServiceClient graph = new GraphServiceClient(auth, perRead);
        graph.getRequestAdapter().setBaseUrl(graphBase.toString());
        return graph;
    }

    /** Whether a paging link from Graph points at the configured endpoint (scheme, host and port). */
    boolean isGraphLink(String link) {
        try {
            URI uri = URI.create(link);
            return graphBase.getScheme().equalsIgnoreCase(uri.getScheme())
                    && graphBase.getHost().equalsIgnoreCase(uri.getHost())
                    && effectivePort(graphBase) == effectivePort(uri)
                    && uri.getPath() != null && uri.getPath().startsWith(graphBase.getPath());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static Credentials.M365 m365(Credentials credentials) throws DirectoryException {
        if (credentials instanceof Credentials.M365 m365) {
            return m365;
        }
        throw new DirectoryException(DirectoryException.Kind.CONFIGURATION, "not Microsoft 365 credentials");
    }
}
