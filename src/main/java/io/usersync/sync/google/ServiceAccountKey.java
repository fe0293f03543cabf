package io.usersync.sync.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usersync.sync.port.DirectoryException;

/**
 * The parts of a tenant's service-account key file the adapter uses: who signs ({@code client_email}), the
 * delegation client id ({@code client_id}, named in hints) and the signing key. Everything else in the file is
 * ignored on purpose, above all {@code token_uri} and {@code universe_domain}: where tokens come from is
 * operator configuration, and a key file must not be able to redirect the signed assertion or switch the SDK
 * to another universe.
 */
record ServiceAccountKey(String clientEmail, String clientId, String privateKeyId, String privateKeyPem,
        String projectId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ServiceAccountKey parse(String keyJson) throws DirectoryException {
        JsonNode node;
        try {
            node = keyJson == null ? null : JSON.readTree(keyJson);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject() || !"service_account".equals(node.path("type").asText())) {
            throw new DirectoryException(DirectoryException.Kind.CONFIGURATION,
                    "the stored Google credential is not a service account key file");
        }
        String email = text(node, "client_email");
        String key = text(node, "private_key");
        if (email == null || key == null) {
            throw new DirectoryException(DirectoryException.Kind.CONFIGURATION,
                    "the service account key file lacks client_email or private_key");
        }
        return new ServiceAccountKey(email, text(node, "client_id"), text(node, "private_key_id"), key,
                text(node, "project_id"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[clientEmail=" + clientEmail + ", clientId=" + clientId + ", key=***]";
    }
}
