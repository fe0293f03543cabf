package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart, linted and rendered by Helm itself (helm-java runs the Helm library from Maven Central, no
 * cluster needed), with the chart's default values and with the production-like example
 * ({@code helm/examples/values-production.yaml}), and the rendered manifests checked: probes on the Quarkus
 * health endpoints of the management port, non-root, secrets only referenced, never inlined, termination grace
 * longer than the drain, a PodDisruptionBudget, a NetworkPolicy, the optional Ingress and alerts, a credential key
 * that is never made up unless asked for, and a values schema that refuses bad values and typos at any depth.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/usersync");
    private static final Path PRODUCTION = Path.of("helm/examples/values-production.yaml");

    /** One rendered manifest. */
    private record Manifest(String kind, String name, Map<String, Object> body) {
    }

    private static List<Manifest> render(UnaryOperator<TemplateCommand> options) {
        String yaml = options.apply(new Helm(CHART).template().withName("usersync").withNamespace("apps")).call();
        List<Manifest> manifests = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) map;
                manifests.add(new Manifest((String) body.get("kind"), (String) map(body, "metadata").get("name"), body));
            }
        }
        return manifests;
    }

    private static String renderText(UnaryOperator<TemplateCommand> options) {
        return options.apply(new Helm(CHART).template().withName("usersync").withNamespace("apps")).call();
    }

    /**
     * The chart's defaults plus the one choice it cannot default: where the credential-encryption key comes from
     * (here: generated at {@code helm install}, the quickstart choice).
     */
    private static final UnaryOperator<TemplateCommand> DEFAULTS = t -> t.set("credentialEncryption.generateAtInstall",
            true);

    private static List<Manifest> renderDefault() {
        return render(DEFAULTS);
    }

    private static List<Manifest> renderProduction() {
        return render(t -> t.withValuesFile(PRODUCTION));
    }

    private static Manifest one(List<Manifest> manifests, String kind) {
        List<Manifest> found = manifests.stream().filter(m -> kind.equals(m.kind())).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " in " + kinds(manifests));
        return found.getFirst();
    }

    private static List<String> kinds(List<Manifest> manifests) {
        return manifests.stream().map(m -> m.kind() + "/" + m.name()).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "missing " + key + " in " + parent.keySet());
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "missing " + key + " in " + parent.keySet());
        return (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> podSpec(List<Manifest> manifests) {
        return map(map(map(one(manifests, "Deployment").body(), "spec"), "template"), "spec");
    }

    private static Map<String, Object> container(List<Manifest> manifests) {
        List<Map<String, Object>> containers = list(podSpec(manifests), "containers");
        assertEquals(1, containers.size());
        return containers.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> configData(List<Manifest> manifests) {
        return (Map<String, String>) (Map<?, ?>) map(one(manifests, "ConfigMap").body(), "data");
    }

    private static long seconds(String duration) {
        return Duration.parse("PT" + duration.toUpperCase(java.util.Locale.ROOT)).toSeconds();
    }

    @Test
    void theChartLintsCleanly() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]")),
                String.join("\n", result.getMessages()));
        assertTrue(Files.isRegularFile(PRODUCTION));
    }

    @Test
    void theCredentialKeyIsNeverMadeUpWithoutAnExplicitChoice() {
        // GitOps renderers (helm template, Argo CD, Flux) render hooks on every sync: no key may appear by default
        RuntimeException e = assertThrows(RuntimeException.class, () -> renderText(t -> t));
        for (String hint : List.of("credentialEncryption.existingSecret", "Argo CD", "generateAtInstall")) {
            assertTrue(String.valueOf(e.getMessage()).contains(hint), e.getMessage());
        }
        // the GitOps way: an existing Secret, referenced, never created, and no hook at all
        String gitOps = renderText(t -> t.set("credentialEncryption.existingSecret", "keys-from-vault"));
        assertFalse(gitOps.contains("helm.sh/hook"), gitOps);
        assertFalse(gitOps.contains("usersync-credential-keys"), gitOps);
        assertEquals("keys-from-vault/keys", secretRefs(container(render(t -> t.set(
                "credentialEncryption.existingSecret", "keys-from-vault")))).get("USERSYNC_CRYPTO_KEYS"));
        assertRefused(t -> t.set("credentialEncryption.keys", "k1:" + Base64.getEncoder().encodeToString(
                new byte[32])), "not both");
    }

    @Test
    void defaultsRunTwoReplicasWithADisruptionBudgetAndNoAutoscaler() {
        List<Manifest> manifests = renderDefault();
        Map<String, Object> spec = map(one(manifests, "Deployment").body(), "spec");
        assertEquals(2, spec.get("replicas"));
        Map<String, Object> rolling = map(map(spec, "strategy"), "rollingUpdate");
        assertEquals(0, rolling.get("maxUnavailable"), "a rolling update never drops below the replica count");

        Map<String, Object> pdb = map(one(manifests, "PodDisruptionBudget").body(), "spec");
        assertEquals(1, pdb.get("minAvailable"));
        assertEquals(map(map(spec, "selector"), "matchLabels"), map(map(pdb, "selector"), "matchLabels"),
                "the budget selects the deployment's pods");
        assertTrue(manifests.stream().noneMatch(m -> m.kind().equals("HorizontalPodAutoscaler")));
        assertTrue(manifests.stream().noneMatch(m -> m.kind().equals("ServiceMonitor")));
        one(manifests, "Service");
        one(manifests, "ServiceAccount");
    }

    @Test
    void probesUseTheQuarkusHealthEndpointsOnTheManagementPort() {
        for (List<Manifest> manifests : List.of(renderDefault(), renderProduction())) {
            Map<String, Object> c = container(manifests);
            assertEquals("/q/health/started", map(map(c, "startupProbe"), "httpGet").get("path"));
            assertEquals("/q/health/live", map(map(c, "livenessProbe"), "httpGet").get("path"));
            assertEquals("/q/health/ready", map(map(c, "readinessProbe"), "httpGet").get("path"));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertEquals("management", map(map(c, probe), "httpGet").get("port"), probe);
            }
            assertEquals(Map.of("http", 8080, "management", 9000), list(c, "ports").stream().collect(
                    Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort"))));
            assertEquals("9000", configData(manifests).get("QUARKUS_MANAGEMENT_PORT"),
                    "the service listens where the probes look");
            Map<String, Integer> servicePorts = list(map(one(manifests, "Service").body(), "spec"), "ports").stream()
                    .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("port")));
            assertEquals(Map.of("http", 8080, "management", 9000), servicePorts);
        }
        assertEquals("9100", configData(render(t -> DEFAULTS.apply(t).set("management.port", 9100)))
                .get("QUARKUS_MANAGEMENT_PORT"));
        assertRefused(t -> t.set("management.port", 8080), "management");
    }

    @Test
    void aNetworkPolicyAdmitsTheApiFromAnywhereAndMetricsOnlyFromMonitoring() {
        Map<String, Object> policy = map(one(renderDefault(), "NetworkPolicy").body(), "spec");
        assertEquals(List.of("Ingress", "Egress"), policy.get("policyTypes"));
        List<Map<String, Object>> ingress = list(policy, "ingress");
        assertEquals(2, ingress.size());
        assertEquals("http", list(ingress.get(0), "ports").getFirst().get("port"));
        assertNull(ingress.get(0).get("from"), "the API authenticates every call: any source may reach it");
        assertEquals("management", list(ingress.get(1), "ports").getFirst().get("port"));
        assertEquals(List.of(Map.of("namespaceSelector", Map.of("matchLabels",
                Map.of("kubernetes.io/metadata.name", "monitoring")))), ingress.get(1).get("from"));
        assertEquals(List.of(53, 53, 3306, 443), egressPorts(policy));
        // the database port comes from the URL; an empty metrics source list admits nobody but the kubelet
        Map<String, Object> custom = map(one(render(t -> DEFAULTS.apply(t)
                .set("database.url", "jdbc:mysql://db.example:3307/usersync?sslMode=REQUIRED")
                .set("networkPolicy.metricsFrom", "null")), "NetworkPolicy").body(), "spec");
        assertEquals(List.of(53, 53, 3307, 443), egressPorts(custom));
        assertEquals(List.of("http"), list(custom, "ingress").stream().map(r -> list(r, "ports").getFirst()
                .get("port")).toList(), "no rule for the management port (an empty `from` would admit everyone)");
        assertTrue(render(t -> DEFAULTS.apply(t).set("networkPolicy.enabled", false)).stream()
                .noneMatch(m -> m.kind().equals("NetworkPolicy")));
        assertNull(map(one(render(t -> DEFAULTS.apply(t).set("networkPolicy.egress.enabled", false)),
                "NetworkPolicy").body(), "spec").get("egress"));
    }

    private static List<Integer> egressPorts(Map<String, Object> policy) {
        return list(policy, "egress").stream().flatMap(rule -> list(rule, "ports").stream())
                .map(p -> (Integer) p.get("port")).toList();
    }

    @Test
    void anOptionalIngressRoutesToTheApiPortOnly() {
        assertTrue(renderDefault().stream().noneMatch(m -> m.kind().equals("Ingress")));
        Map<String, Object> spec = map(one(render(t -> DEFAULTS.apply(t).set("ingress.enabled", true)
                .set("ingress.className", "nginx").set("ingress.host", "usersync.acme.example")
                .set("ingress.tlsSecret", "usersync-tls")), "Ingress").body(), "spec");
        assertEquals("nginx", spec.get("ingressClassName"));
        assertEquals(List.of(Map.of("hosts", List.of("usersync.acme.example"), "secretName", "usersync-tls")),
                spec.get("tls"));
        Map<String, Object> rule = list(spec, "rules").getFirst();
        assertEquals("usersync.acme.example", rule.get("host"));
        Map<String, Object> path = list(map(rule, "http"), "paths").getFirst();
        assertEquals("/", path.get("path"));
        assertEquals(Map.of("name", "usersync", "port", Map.of("name", "http")), map(path, "backend").get("service"));
    }

    @Test
    void optionalAlertsCoverTheConditionsTheReadmeNames() {
        assertTrue(renderDefault().stream().noneMatch(m -> m.kind().equals("PrometheusRule")));
        List<Manifest> manifests = renderProduction();
        Map<String, Object> rule = one(manifests, "PrometheusRule").body();
        assertEquals("prometheus", map(map(rule, "metadata"), "labels").get("release"));
        List<Map<String, Object>> alerts = list(list(map(rule, "spec"), "groups").getFirst(), "rules");
        Map<String, String> expressions = alerts.stream().collect(Collectors.toMap(a -> (String) a.get("alert"),
                a -> (String) a.get("expr")));
        assertEquals(Set.of("UsersyncSyncRunHeldForApproval", "UsersyncSyncRunsFailing", "UsersyncBillingOutboxLag",
                "UsersyncInvoicesUnpaid", "UsersyncChargesFailing"), expressions.keySet());
        assertTrue(expressions.get("UsersyncSyncRunHeldForApproval").contains("usersync_sync_runs_held"));
        assertTrue(expressions.get("UsersyncSyncRunsFailing").contains("usersync_sync_runs_total"));
        assertTrue(expressions.get("UsersyncSyncRunsFailing").contains("status=\"FAILED\""));
        assertTrue(expressions.get("UsersyncBillingOutboxLag").contains("usersync_billing_outbox_oldest_age_seconds"));
        assertTrue(expressions.get("UsersyncBillingOutboxLag").endsWith("> 600"));
        assertTrue(expressions.get("UsersyncInvoicesUnpaid").contains("usersync_billing_suspension_recommended"));
        assertTrue(expressions.get("UsersyncChargesFailing").contains("usersync_billing_charges_total"));
        for (String expr : expressions.values()) {
            assertTrue(expr.contains("namespace=\"apps\""), "this release's pods only: " + expr);
        }
        for (Map<String, Object> alert : alerts) {
            assertNotNull(map(alert, "annotations").get("description"), alert.get("alert") + " explains itself");
        }
    }

    @Test
    void theValuesSchemaRefusesTyposAtAnyDepth() {
        assertRefused(t -> t.set("database.existingSecrt", "db"), "existingSecrt");
        assertRefused(t -> t.set("credentialEncryption.existingSecrets", "keys"), "existingSecrets");
        assertRefused(t -> t.set("auth.publicKeyFile", "x"), "publicKeyFile");
        assertRefused(t -> t.set("image.tags", "1.0.0"), "tags");
        assertRefused(t -> t.set("probes.liveness.periodSecond", 5), "periodSecond");
        assertRefused(t -> t.set("resources.limits.memroy", "1Gi"), "memroy");
        assertRefused(t -> t.set("networkPolicy.egress.enable", true), "enable");
        assertRefused(t -> t.set("networkPolicy.metricsFrom[0].namespaceSelectr.matchLabels.a", "b"),
                "namespaceSelectr");
        assertRefused(t -> t.set("ingress.hosts[0]", "usersync.example.com"), "hosts");
        assertRefused(t -> t.set("prometheusRule.failedSync", 3), "failedSync");
        assertRefused(t -> t.set("serviceMonitor.intervall", "30s"), "intervall");
        assertRefused(t -> t.set("management.prot", 9000), "prot");
        assertRefused(t -> t.set("topologySpreadConstraints[0].maxskew", 1), "maxskew");
        assertRefused(t -> t.set("tolerations[0].efect", "NoSchedule"), "efect");
        assertRefused(t -> t.set("affinity.podAntiAffinity.requiredDuringScheduling[0].topologyKey", "x"),
                "requiredDuringScheduling");
        assertRefused(t -> t.set("billing.close.grace", "10m"), "billing");
        assertRefused(t -> t.set("serviceMonitor.labels.release", 1), "release");
    }

    @Test
    void podsRunAsNonRootWithoutPrivileges() {
        for (List<Manifest> manifests : List.of(renderDefault(), renderProduction())) {
            Map<String, Object> pod = map(podSpec(manifests), "securityContext");
            assertEquals(Boolean.TRUE, pod.get("runAsNonRoot"));
            assertTrue(((Integer) pod.get("runAsUser")) > 0);
            Map<String, Object> c = map(container(manifests), "securityContext");
            assertEquals(Boolean.FALSE, c.get("allowPrivilegeEscalation"));
            assertEquals(Boolean.TRUE, c.get("readOnlyRootFilesystem"));
            assertEquals(List.of("ALL"), map(c, "capabilities").get("drop"));
            assertEquals(Boolean.FALSE, podSpec(manifests).get("automountServiceAccountToken"));
        }
    }

    @Test
    void productionSecretsAreReferencedByTheirExistingNamesAndNeverCreated() {
        List<Manifest> manifests = renderProduction();
        assertTrue(manifests.stream().noneMatch(m -> m.kind().equals("Secret")),
                "with existing secrets the chart creates none: " + kinds(manifests));
        Map<String, String> refs = secretRefs(container(manifests));
        assertEquals(Map.of("QUARKUS_DATASOURCE_PASSWORD", "usersync-database/password",
                "USERSYNC_CRYPTO_KEYS", "usersync-credential-keys/keys"), refs);
        Map<String, Object> jwt = list(podSpec(manifests), "volumes").stream()
                .filter(v -> "jwt".equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals("usersync-jwt", map(jwt, "secret").get("secretName"));
        Map<String, String> config = configData(manifests);
        assertEquals("/etc/usersync/jwt/public.pem", config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals("2026-11", config.get("USERSYNC_CRYPTO_ACTIVE_KEY_ID"));
        assertNoSecretInPlainSettings(manifests);
    }

    @Test
    void chartCreatedSecretsHoldTheValuesAndOnlySecretsDo() {
        String password = "db-pass-" + System.nanoTime();
        String keys = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
        String publicKey = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq" + System.nanoTime() + "\n-----END PUBLIC KEY-----\n";
        UnaryOperator<TemplateCommand> values = t -> t.set("database.password", password)
                .set("credentialEncryption.keys", keys).set("auth.publicKey", publicKey);
        String text = renderText(values);
        assertFalse(text.contains(password), "the password appears only base64-encoded, inside its Secret");
        assertFalse(text.contains(keys));
        List<Manifest> manifests = render(values);
        Map<String, Map<String, Object>> secrets = manifests.stream().filter(m -> m.kind().equals("Secret"))
                .collect(Collectors.toMap(Manifest::name, Manifest::body));
        assertEquals(Set.of("usersync-database", "usersync-jwt", "usersync-credential-keys"), secrets.keySet());
        assertEquals(password, decoded(secrets.get("usersync-database"), "password"));
        assertEquals(keys, decoded(secrets.get("usersync-credential-keys"), "keys"));
        assertEquals(publicKey, decoded(secrets.get("usersync-jwt"), "public.pem"));
        Map<String, Object> keyAnnotations = map(map(secrets.get("usersync-credential-keys"), "metadata"),
                "annotations");
        assertEquals("keep", keyAnnotations.get("helm.sh/resource-policy"),
                "survives an uninstall: losing the credential key makes stored credentials unreadable");
        assertNull(keyAnnotations.get("helm.sh/hook"), "given keys are an ordinary release resource");
        assertEquals(Map.of("QUARKUS_DATASOURCE_PASSWORD", "usersync-database/password",
                "USERSYNC_CRYPTO_KEYS", "usersync-credential-keys/keys"), secretRefs(container(manifests)));
        assertNoSecretInPlainSettings(manifests);
    }

    @Test
    void askedToGenerateTheChartGeneratesAnEncryptionKeyOnlyAtInstall() throws Exception {
        List<Manifest> manifests = renderDefault();
        assertTrue(manifests.stream().noneMatch(m -> m.name().equals("usersync-credential-keys")),
                "a generated key is a pre-install hook, not part of the release manifest an upgrade re-applies");
        assertEquals(Set.of("usersync-database", "usersync-jwt"), manifests.stream()
                .filter(m -> m.kind().equals("Secret")).map(Manifest::name).collect(Collectors.toSet()));
        assertEquals("", decoded(manifests.stream().filter(m -> m.name().equals("usersync-database")).findFirst()
                .orElseThrow().body(), "password"), "no invented database password");
        assertEquals("usersync-credential-keys/keys", secretRefs(container(manifests)).get("USERSYNC_CRYPTO_KEYS"));
        assertNoSecretInPlainSettings(manifests);

        // What the hook creates (Helm renders hooks apart; a copy of the chart without the hook annotation shows it)
        Path copy = copyOfChart(text -> text.replace("helm.sh/hook: pre-install", "hook-under-test: pre-install"));
        String yaml = DEFAULTS.apply(new Helm(copy).template().withName("usersync").withNamespace("apps")).call();
        Map<String, Object> generated = null;
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc instanceof Map<?, ?> m && "usersync-credential-keys".equals(((Map<?, ?>) m.get("metadata"))
                    .get("name"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) m;
                generated = body;
            }
        }
        assertNotNull(generated, yaml);
        Map<String, Object> annotations = map(map(generated, "metadata"), "annotations");
        assertEquals("pre-install", annotations.get("hook-under-test"), "created at install only");
        assertEquals("keep", annotations.get("helm.sh/resource-policy"), "kept on uninstall");
        String keys = decoded(generated, "keys");
        assertTrue(keys.startsWith("k1:"), "a key named after credentialEncryption.activeKeyId");
        assertEquals(32, Base64.getDecoder().decode(keys.substring(3)).length, "AES-256: 32 bytes");
    }

    /** A copy of the chart with every file's text edited. */
    private static Path copyOfChart(UnaryOperator<String> edit) throws java.io.IOException {
        Path copy = Files.createTempDirectory("usersync-chart");
        try (var files = Files.walk(CHART)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, edit.apply(Files.readString(source)));
                }
            }
        }
        return copy;
    }

    @Test
    void theChartNeverReadsTheCluster() throws Exception {
        try (var templates = Files.list(CHART.resolve("templates"))) {
            for (Path template : templates.toList()) {
                assertFalse(java.util.regex.Pattern.compile("\\blookup\\s+\"").matcher(Files.readString(template)).find(), template
                        + ": `lookup` breaks helm template, GitOps renderers and dry runs");
            }
        }
    }

    @Test
    void terminationGraceExceedsTheSyncDrainPlusTheHttpShutdown() {
        for (List<Manifest> manifests : List.of(renderDefault(), renderProduction())) {
            long grace = ((Number) podSpec(manifests).get("terminationGracePeriodSeconds")).longValue();
            Map<String, String> config = configData(manifests);
            long drain = seconds(config.get("USERSYNC_SYNC_WORKER_SHUTDOWN_DRAIN"));
            long http = seconds(config.get("QUARKUS_SHUTDOWN_TIMEOUT"));
            assertTrue(grace > drain + http, grace + " s grace vs " + drain + " s drain + " + http + " s HTTP");
            long lease = seconds(config.get("USERSYNC_SYNC_WORKER_LEASE_DURATION"));
            long renewal = seconds(config.get("USERSYNC_SYNC_WORKER_LEASE_RENEWAL"));
            assertTrue(renewal * 2 <= lease, "leases are renewed well before they expire");
        }
        // a grace too short for the drain is refused at render time, whatever unit the drain is given in
        assertRefused(t -> t.set("terminationGracePeriodSeconds", 40), "terminationGracePeriodSeconds");
        assertRefused(t -> t.set("sync.shutdownDrain", "1m"), "terminationGracePeriodSeconds");
        assertRefused(t -> t.set("sync.leaseDuration", "30s").set("sync.leaseRenewal", "20s"), "leaseRenewal");
    }

    @Test
    void eachReplicaHasItsOwnInstanceIdAndTheSettingsComeFromTheConfigMap() {
        List<Manifest> manifests = renderDefault();
        Map<String, Object> c = container(manifests);
        Map<String, Object> instance = list(c, "env").stream()
                .filter(e -> "USERSYNC_SYNC_WORKER_INSTANCE_ID".equals(e.get("name"))).findFirst().orElseThrow();
        assertEquals("metadata.name", map(map(instance, "valueFrom"), "fieldRef").get("fieldPath"),
                "leases and runs name the pod");
        assertEquals("usersync", map(list(c, "envFrom").getFirst(), "configMapRef").get("name"));
        Map<String, String> config = configData(manifests);
        assertEquals("jdbc:mysql://mysql:3306/usersync", config.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("true", config.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"));
        Map<String, Object> annotations = map(map(map(map(one(manifests, "Deployment").body(), "spec"), "template"),
                "metadata"), "annotations");
        assertNotNull(annotations.get("checksum/config"), "a settings change rolls the pods");
        Map<String, Object> spread = list(podSpec(manifests), "topologySpreadConstraints").getFirst();
        assertEquals(Map.of("app.kubernetes.io/name", "usersync", "app.kubernetes.io/instance", "usersync"),
                map(map(spread, "labelSelector"), "matchLabels"));
    }

    @Test
    void productionValuesScaleWithAnAutoscalerAndAreScraped() {
        List<Manifest> manifests = renderProduction();
        Map<String, Object> spec = map(one(manifests, "Deployment").body(), "spec");
        assertNull(spec.get("replicas"), "the autoscaler owns the replica count");
        Map<String, Object> hpa = map(one(manifests, "HorizontalPodAutoscaler").body(), "spec");
        assertEquals(3, hpa.get("minReplicas"));
        assertEquals(10, hpa.get("maxReplicas"));
        assertEquals("usersync", map(hpa, "scaleTargetRef").get("name"));
        int minAvailable = (Integer) map(one(manifests, "PodDisruptionBudget").body(), "spec").get("minAvailable");
        assertTrue(minAvailable < (Integer) hpa.get("minReplicas"), "a node drain can always evict one pod");
        Map<String, Object> monitor = one(manifests, "ServiceMonitor").body();
        Map<String, Object> endpoint = list(map(monitor, "spec"), "endpoints").getFirst();
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("management", endpoint.get("port"), "metrics are scraped from the management port");
        assertEquals("prometheus", map(map(monitor, "metadata"), "labels").get("release"));
        assertEquals("registry.example.com/platform/usersync:1.0.0", container(manifests).get("image"));
        assertEquals("jdbc:mysql://mysql-primary.databases.svc:3306/usersync?sslMode=REQUIRED",
                configData(manifests).get("QUARKUS_DATASOURCE_JDBC_URL"));
    }

    @Test
    void theValuesSchemaRefusesBadValues() {
        assertRefused(t -> t.set("replicaCount", 0), "replicaCount");
        assertRefused(t -> t.set("image.pullPolicy", "Sometimes"), "pullPolicy");
        assertRefused(t -> t.set("database.url", "postgresql://db/usersync"), "url");
        assertRefused(t -> t.set("sync.leaseDuration", "soon"), "leaseDuration");
        assertRefused(t -> t.set("sync.maxConcurrentRuns", 0), "maxConcurrentRuns");
        assertRefused(t -> t.set("credentialEncryption.activeKeyId", "bad key"), "activeKeyId");
        // a mistyped key would otherwise be ignored silently
        assertRefused(t -> t.set("replicas", 3), "replicas");
        assertRefused(t -> t.set("sync.leaseDurationSeconds", 30), "leaseDurationSeconds");
    }

    /** Rendering the defaults with {@code options} fails, naming {@code mentioning}. */
    private static void assertRefused(UnaryOperator<TemplateCommand> options, String mentioning) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> renderText(t -> options.apply(
                DEFAULTS.apply(t))));
        assertTrue(String.valueOf(e.getMessage()).contains(mentioning), e.getMessage());
    }

    private static String decoded(Map<String, Object> secret, String key) {
        assertNotNull(secret);
        return new String(Base64.getDecoder().decode((String) map(secret, "data").get(key)),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Environment variables whose value comes from a Secret, as name -> secret/key. */
    private static Map<String, String> secretRefs(Map<String, Object> container) {
        return list(container, "env").stream().filter(e -> e.get("valueFrom") instanceof Map<?, ?> from
                && from.containsKey("secretKeyRef")).collect(Collectors.toMap(e -> (String) e.get("name"), e -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> ref = (Map<String, Object>) ((Map<String, Object>) e.get("valueFrom"))
                            .get("secretKeyRef");
                    return ref.get("name") + "/" + ref.get("key");
                }));
    }

    /**
     * No secret in the ConfigMap or as a literal environment value: every setting whose name looks secret is a
     * Secret reference or a file location.
     */
    private static void assertNoSecretInPlainSettings(List<Manifest> manifests) {
        for (Map.Entry<String, String> e : configData(manifests).entrySet()) {
            assertFalse(e.getKey().matches(".*(PASSWORD|SECRET|_KEYS|PRIVATE).*"), "secret-like setting in the"
                    + " ConfigMap: " + e.getKey());
        }
        for (Map<String, Object> env : list(container(manifests), "env")) {
            String name = (String) env.get("name");
            if (name.matches(".*(PASSWORD|SECRET|KEY).*")) {
                assertNull(env.get("value"), name + " must come from a Secret, not a literal");
                assertNotNull(map(env, "valueFrom").get("secretKeyRef"), name);
            }
        }
    }
}
