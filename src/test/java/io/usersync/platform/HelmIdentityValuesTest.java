package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's identity values (the rest of the chart is HelmChartTest's): {@code auth.audience} and
 * {@code auth.jwksUrl} reach the container as MP_JWT_VERIFY_AUDIENCES and MP_JWT_VERIFY_PUBLICKEY_LOCATION (which
 * then takes precedence over the mounted key file), and a JWKS URL must be https.
 */
class HelmIdentityValuesTest {

    static final Path CHART = Path.of("helm/usersync");

    @SuppressWarnings("unchecked")
    static Map<String, String> plainEnv(String... sets) {
        var template = new Helm(CHART).template().withName("usersync").withNamespace("apps")
                .set("credentialEncryption.keys", "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        for (int i = 0; i < sets.length; i += 2) {
            template.set(sets[i], sets[i + 1]);
        }
        Map<String, String> env = new HashMap<>();
        for (Object doc : new Yaml().loadAll(template.call())) {
            if (doc instanceof Map<?, ?> manifest && "Deployment".equals(manifest.get("kind"))) {
                Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                        manifest.get("spec")).get("template")).get("spec");
                for (Map<String, Object> variable : (List<Map<String, Object>>) ((List<Map<String, Object>>) spec
                        .get("containers")).getFirst().get("env")) {
                    if (variable.get("value") != null) {
                        env.put((String) variable.get("name"), variable.get("value").toString());
                    }
                }
            }
        }
        return env;
    }

    @Test
    void audienceAndJwksUrlBecomeTheServicesSettings() {
        String jwks = "https://login.example.com/realms/acme/protocol/openid-connect/certs";
        Map<String, String> env = plainEnv("auth.audience", "usersync", "auth.jwksUrl", jwks);
        assertEquals("usersync", env.get("MP_JWT_VERIFY_AUDIENCES"));
        assertEquals(jwks, env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertFalse(plainEnv("auth.audience", "usersync").containsKey("MP_JWT_VERIFY_PUBLICKEY_LOCATION"),
                "without a JWKS URL the mounted key file (ConfigMap) stays in force");
    }

    @Test
    void aJwksUrlMustBeHttps() {
        assertThrows(RuntimeException.class, () -> plainEnv("auth.jwksUrl", "http://login.example.com/certs"));
    }
}
