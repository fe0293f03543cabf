package io.usersync.sync.m365;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.usersync.sync.port.Credentials;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The seam where app-only Microsoft Entra credentials become an azure-identity {@link TokenCredential}: a
 * {@code ClientSecretCredential} or a {@code ClientCertificateCredential} (certificate PEM + PKCS#8 key), against
 * the operator's authority host, over the JDK HTTP client with the operator's TLS trust. The emulator path uses
 * the very same credentials: the emulator serves its authority over HTTPS, and the operator configuration
 * disables instance discovery and trusts its certificate. Replace this bean (CDI alternative) to obtain tokens
 * another way, e.g. a managed identity.
 */
@ApplicationScoped
public class TokenCredentials {

    @Inject
    M365Config config;

    private HttpClient httpClient;

    @PostConstruct
    void init() {
        java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout());
        M365Tls.fromConfig(config.trustedCertificate()).ifPresent(tls -> jdk.sslContext(tls.context()));
        httpClient = new JdkHttpClientBuilder(jdk).build();
    }

    /**
     * A credential for one read. It keeps its token until shortly before it expires, so a read makes one token
     * request, not one per page (MSAL's own cache does not match tokens of an authority it could not discover).
     */
    public TokenCredential create(Credentials.M365 credentials) {
        return new CachingCredential(azureIdentity(credentials));
    }

    private TokenCredential azureIdentity(Credentials.M365 credentials) {
        if (credentials.clientSecret() != null && !credentials.clientSecret().isBlank()) {
            ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                    .tenantId(credentials.tenantId()).clientId(credentials.clientId())
                    .clientSecret(credentials.clientSecret()).authorityHost(config.authorityHost())
                    .httpClient(httpClient).maxRetry(1);
            if (!config.instanceDiscovery()) {
                builder.disableInstanceDiscovery();
            }
            return builder.build();
        }
        // azure-identity reads the key and the certificate from one PEM stream.
        String pem = credentials.privateKeyPem().strip() + "\n" + credentials.certificatePem().strip() + "\n";
        ClientCertificateCredentialBuilder builder = new ClientCertificateCredentialBuilder()
                .tenantId(credentials.tenantId()).clientId(credentials.clientId())
                .pemCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .authorityHost(config.authorityHost()).httpClient(httpClient).maxRetry(1);
        if (!config.instanceDiscovery()) {
            builder.disableInstanceDiscovery();
        }
        return builder.build();
    }

    /** Reuses a token while it is valid for more than five minutes; requests with claims always go through. */
    static final class CachingCredential implements TokenCredential {

        private final TokenCredential delegate;
        private AccessToken cached;
        private List<String> cachedScopes;

        CachingCredential(TokenCredential delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromCallable(() -> getTokenSync(request));
        }

        @Override
        public synchronized AccessToken getTokenSync(TokenRequestContext request) {
            boolean reusable = request.getClaims() == null && cached != null
                    && request.getScopes().equals(cachedScopes)
                    && cached.getExpiresAt().isAfter(OffsetDateTime.now().plusMinutes(5));
            if (!reusable) {
                cached = delegate.getTokenSync(request);
                cachedScopes = List.copyOf(request.getScopes());
            }
            return cached;
        }
    }
}
