package io.usersync.emulator.google;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Google Cloud service account of the emulated Workspace, with a key pair generated at runtime (no key is
 * ever committed). {@link #keyJson()} is the key file exactly as the Cloud console downloads it; the emulator
 * knows only the public half.
 *
 * @param clientId the numeric "unique id" the Admin console's domain-wide delegation is granted to
 */
public record ServiceAccount(String clientEmail, String clientId, String projectId, String keyId, KeyPair keys) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A new service account {@code name@project.iam.gserviceaccount.com} with a fresh 2048-bit RSA key. */
    public static ServiceAccount generate(String name, String projectId) {
        String clientId = "1" + String.format(Locale.ROOT, "%020d",
                ThreadLocalRandom.current().nextLong(1_000_000_000_000_000L, Long.MAX_VALUE));
        return new ServiceAccount(name + "@" + projectId + ".iam.gserviceaccount.com", clientId, projectId,
                newKeyId(), newKeyPair());
    }

    /** The same account with another key that Google never registered (a deleted or foreign key). */
    public ServiceAccount withUnregisteredKey() {
        return new ServiceAccount(clientEmail, clientId, projectId, newKeyId(), newKeyPair());
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The key file with Google's default endpoints. */
    public String keyJson() {
        return keyJson("https://oauth2.googleapis.com/token", "googleapis.com");
    }

    /** The key file with the given {@code token_uri} and {@code universe_domain}. */
    public String keyJson(String tokenUri, String universeDomain) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "service_account");
        node.put("project_id", projectId);
        node.put("private_key_id", keyId);
        node.put("private_key", pem(keys.getPrivate().getEncoded()));
        node.put("client_email", clientEmail);
        node.put("client_id", clientId);
        node.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        node.put("token_uri", tokenUri);
        node.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        node.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/"
                + clientEmail.replace("@", "%40"));
        node.put("universe_domain", universeDomain);
        return node.toPrettyString();
    }

    @Override
    public String toString() {
        return "ServiceAccount[" + clientEmail + ", clientId=" + clientId + ", keyId=" + keyId + "]";
    }

    private static String pem(byte[] pkcs8) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8);
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    private static String newKeyId() {
        byte[] id = new byte[20];
        ThreadLocalRandom.current().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
