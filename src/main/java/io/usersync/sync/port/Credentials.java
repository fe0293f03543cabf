package io.usersync.sync.port;

/**
 * Decrypted connection credentials, held only for the duration of a read. {@code toString} never shows
 * secrets.
 */
public sealed interface Credentials {

    /**
     * Microsoft 365 app registration. Exactly one of {@code clientSecret} and the certificate pair is set.
     *
     * @param certificatePem PEM of the X.509 certificate registered with the app
     * @param privateKeyPem  PEM (PKCS#8) of its private key
     */
    record M365(String tenantId, String clientId, String clientSecret, String certificatePem,
            String privateKeyPem) implements Credentials {
        @Override
        public String toString() {
            return "M365[tenantId=" + tenantId + ", clientId=" + clientId + ", secret=***]";
        }
    }

    /**
     * Google Workspace service account with domain-wide delegation.
     *
     * @param serviceAccountKeyJson the key file as downloaded from Google Cloud (its {@code token_uri} is
     *                              ignored: the token endpoint is operator configuration)
     * @param adminSubject          the admin user the service account impersonates
     * @param customerId            Google customer id ({@code my_customer} allowed); or null when {@code domain}
     *                              is given
     * @param domain                primary domain, used when {@code customerId} is null
     */
    record Google(String serviceAccountKeyJson, String adminSubject, String customerId, String domain)
            implements Credentials {
        @Override
        public String toString() {
            return "Google[adminSubject=" + adminSubject + ", customerId=" + customerId + ", domain=" + domain
                    + ", key=***]";
        }
    }
}
