package io.usersync.sync.m365;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for the connector's connections: the JDK's CAs, plus the operator's extra certificate when
 * {@code usersync.sync.m365.trusted-certificate} is set (the emulator's self-signed one in tests and the demo).
 */
final class M365Tls {

    private final X509TrustManager trustManager;
    private final SSLContext context;

    private M365Tls(X509TrustManager trustManager, SSLContext context) {
        this.trustManager = trustManager;
        this.context = context;
    }

    /** The extra trust, or empty when none is configured (the JDK defaults then apply unchanged). */
    static Optional<M365Tls> fromConfig(Optional<Path> certificateFile) {
        if (certificateFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            X509Certificate extra = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(certificateFile.get())));
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("usersync-extra", extra);
            X509TrustManager extraTrust = trustManager(store);
            X509TrustManager defaults = trustManager(null);
            X509TrustManager both = new Combined(defaults, extraTrust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { both }, null);
            return Optional.of(new M365Tls(both, context));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("usersync.sync.m365.trusted-certificate cannot be read as a PEM "
                    + "certificate: " + e.getMessage(), e);
        }
    }

    X509TrustManager trustManager() {
        return trustManager;
    }

    SSLContext context() {
        return context;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast).findFirst().orElseThrow();
    }

    /** Accepts a chain either trust manager accepts. */
    private record Combined(X509TrustManager first, X509TrustManager second) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return Stream.concat(Arrays.stream(first.getAcceptedIssuers()), Arrays.stream(second.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
