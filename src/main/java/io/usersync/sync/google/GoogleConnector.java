package io.usersync.sync.google;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.apache.v5.Apache5HttpTransport;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.directory.model.User;
import com.google.api.services.directory.model.Users;
import io.usersync.sync.port.Credentials;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryException;
import io.usersync.sync.port.PoolSpec;
import io.usersync.sync.port.Provider;
import io.usersync.sync.port.ReadMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * Google Workspace through the official Admin SDK Directory client ({@code google-api-services-admin-directory})
 * and {@code google-auth-library}: a service account with domain-wide delegation impersonates the connection's
 * admin subject with read-only scopes — {@code admin.directory.user.readonly}, plus
 * {@code admin.directory.group.member.readonly} only when the pool names groups (asking for a scope the tenant
 * did not authorise would fail the whole token request). Google offers no incremental user feed here, so every
 * read is a full read ({@link #supportsDelta} stays false).
 */
@ApplicationScoped
public class GoogleConnector implements DirectoryConnector {

    @Inject
    GoogleConfig config;

    /**
     * One transport for all reads (thread-safe, pooled keep-alive connections, no automatic retries). Apache
     * HttpClient 5 rather than the JDK's HttpURLConnection: the latter drops the body of a 401 answer to a POST,
     * which is how Google's token endpoint explains {@code unauthorized_client} (missing domain-wide delegation).
     */
    private final HttpTransport transport = new Apache5HttpTransport();
    private final JsonFactory jsonFactory = GsonFactory.getDefaultInstance();

    @Override
    public Provider provider() {
        return Provider.GOOGLE;
    }

    @Override
    public String testConnection(Credentials credentials, Instant deadline) throws DirectoryException {
        GoogleSession session = new GoogleSession(config, transport, jsonFactory, google(credentials),
                List.of(GoogleSession.USER_SCOPE), deadline);
        session.fetchToken();
        Users users = session.execute(session.listUsers().setMaxResults(1).setFields("users(primaryEmail)"),
                new GoogleSession.Op("reading a user of " + session.scopeOfUsers(), session.scopeOfUsers()));
        List<User> found = users.getUsers();
        String what = found == null || found.isEmpty() ? session.scopeOfUsers() + " has no users"
                : "read user " + found.get(0).getPrimaryEmail();
        return "token obtained for " + session.identity() + "; " + what;
    }

    @Override
    public PoolReader open(Credentials credentials, PoolSpec pool, ReadMode mode, String deltaToken,
            Instant deadline) throws DirectoryException {
        if (mode == ReadMode.DELTA) {
            throw new DirectoryException(DirectoryException.Kind.DELTA_EXPIRED,
                    "Google Workspace has no incremental reads; reading the whole pool");
        }
        List<String> scopes = pool.allUsers() || pool.groups().isEmpty() ? List.of(GoogleSession.USER_SCOPE)
                : List.of(GoogleSession.USER_SCOPE, GoogleSession.MEMBER_SCOPE);
        return new GooglePoolReader(new GoogleSession(config, transport, jsonFactory, google(credentials), scopes,
                deadline), pool);
    }

    private static Credentials.Google google(Credentials credentials) throws DirectoryException {
        if (credentials instanceof Credentials.Google google) {
            return google;
        }
        throw new DirectoryException(DirectoryException.Kind.CONFIGURATION,
                "the connection's credentials are not Google Workspace credentials");
    }
}
