package io.usersync.emulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Azure AD (Entra ID) v2.0 token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}, for the client
 * credentials grant with a client secret or a client assertion (a JWT signed with the app's certificate key,
 * RS256, {@code aud} = the token endpoint, {@code iss} = {@code sub} = the client id). Refusals use AAD's error
 * body ({@code error}, {@code error_description} with an AADSTS code and trace lines, {@code error_codes}, ...).
 * Also answers instance discovery and the OpenID configuration document, so MSAL works whether or not
 * instance discovery is disabled.
 */
final class AzureAdEndpoint {

    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    private static final String GRAPH_APP_SCOPE = "00000003-0000-0000-c000-000000000000/.default";
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final DateTimeFormatter AAD_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final GraphEmulator emulator;
    private final ObjectMapper json = new ObjectMapper();

    AzureAdEndpoint(GraphEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpServerRequest request) {
        String clientRequestId = request.getHeader("client-request-id");
        if (clientRequestId != null) {
            request.response().putHeader("client-request-id", clientRequestId);
        }
        String[] segments = request.path().substring(1).split("/");
        if (request.method() == HttpMethod.GET && segments.length == 3 && segments[0].equals("common")
                && segments[1].equals("discovery") && segments[2].equals("instance")) {
            instanceDiscovery(request);
        } else if (request.method() == HttpMethod.GET && segments.length == 4 && segments[1].equals("v2.0")
                && segments[2].equals(".well-known") && segments[3].equals("openid-configuration")) {
            openIdConfiguration(request, segments[0]);
        } else if (request.method() == HttpMethod.POST && segments.length == 4 && segments[1].equals("oauth2")
                && segments[2].equals("v2.0") && segments[3].equals("token")) {
            request.body().onSuccess(body -> token(request, segments[0], form(body)))
                    .onFailure(e -> request.connection().close());
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void token(HttpServerRequest request, String tenantSegment, Map<String, String> form) {
        GraphTenant tenant = emulator.tenantOrNull(tenantSegment);
        if (tenant == null) {
            refuse(request, 400, "invalid_request", 90002, "Tenant '" + tenantSegment + "' not found. Check to make "
                    + "sure you have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        tenant.countToken();
        if (!"client_credentials".equals(form.get("grant_type"))) {
            refuse(request, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + form.get("grant_type") + "'.");
            return;
        }
        String scope = form.getOrDefault("scope", "").strip();
        // MSAL adds the OpenID scopes to every request; AAD ignores them for client credentials.
        List<String> resources = Arrays.stream(scope.split("\\s+"))
                .filter(s -> !s.isEmpty() && !OIDC_SCOPES.contains(s)).toList();
        if (resources.size() != 1 || (!resources.get(0).equals(GRAPH_SCOPE)
                && !resources.get(0).equals(GRAPH_APP_SCOPE))) {
            refuse(request, 400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. "
                    + "Client credential flows must have a scope value with /.default suffixed to the resource "
                    + "identifier (application ID URI).");
            return;
        }
        String clientId = form.get("client_id");
        GraphTenant.App app = tenant.app(clientId);
        if (app == null) {
            refuse(request, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant.domain() + "'. This can happen if the "
                    + "application has not been installed by the administrator of the tenant or consented to by "
                    + "any user in the tenant. You may have sent your authentication request to the wrong tenant.");
            return;
        }
        String secret = form.get("client_secret");
        String assertion = form.get("client_assertion");
        if (secret != null) {
            if (app.secret() == null || !MessageDigest.isEqual(app.secret().getBytes(StandardCharsets.UTF_8),
                    secret.getBytes(StandardCharsets.UTF_8))) {
                refuse(request, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                        + "being sent in the request is the client secret value, not the client secret ID, for a "
                        + "secret added to app '" + app.clientId() + "'.");
                return;
            }
        } else if (assertion != null && ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            String problem = assertionProblem(assertion, app, tokenEndpoint(request, tenantSegment));
            if (problem != null) {
                refuse(request, 401, "invalid_client", problem.startsWith("expired") ? 700024 : 700027,
                        problem.startsWith("expired") ? "Client assertion is not within its valid time range."
                                : "Client assertion failed signature validation.");
                return;
            }
        } else {
            refuse(request, 401, "invalid_client", 7000218, "The request body must contain the following parameter: "
                    + "'client_assertion' or 'client_secret'.");
            return;
        }
        String token = emulator.issueToken(tenant, app.clientId());
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store, no-cache")
                .end("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\""
                        + token + "\"}");
    }

    /** Why a client assertion is refused, or null when it is valid for this app and endpoint. */
    private String assertionProblem(String assertion, GraphTenant.App app, String audience) {
        X509Certificate certificate = app.certificate();
        if (certificate == null) {
            return "the app has no certificate";
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return "not a JWT";
        }
        try {
            JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "unsupported algorithm";
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "bad signature";
            }
            if (!app.clientId().equalsIgnoreCase(claims.path("iss").asText())
                    || !app.clientId().equalsIgnoreCase(claims.path("sub").asText())) {
                return "issuer or subject is not the client";
            }
            if (!audience.equalsIgnoreCase(claims.path("aud").asText())) {
                return "audience is not this token endpoint";
            }
            long now = Instant.now().getEpochSecond();
            if (claims.path("exp").asLong(0) < now - 60 || claims.path("nbf").asLong(0) > now + 60) {
                return "expired";
            }
            return null;
        } catch (Exception e) {
            return "unreadable assertion";
        }
    }

    private void instanceDiscovery(HttpServerRequest request) {
        String host = GraphApi.authority(request);
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .end("{\"tenant_discovery_endpoint\":\"https://" + host + "/common/v2.0/.well-known/"
                        + "openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{\"preferred_network\":\""
                        + host + "\",\"preferred_cache\":\"" + host + "\",\"aliases\":[\"" + host + "\"]}]}");
    }

    private void openIdConfiguration(HttpServerRequest request, String tenant) {
        String issuerHost = "https://" + GraphApi.authority(request);
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .end("{\"token_endpoint\":\"" + tokenEndpoint(request, tenant) + "\",\"issuer\":\"" + issuerHost
                        + "/" + tenant + "/v2.0\",\"authorization_endpoint\":\"" + issuerHost + "/" + tenant
                        + "/oauth2/v2.0/authorize\",\"token_endpoint_auth_methods_supported\":"
                        + "[\"client_secret_post\",\"private_key_jwt\",\"client_secret_basic\"]}");
    }

    private static String tokenEndpoint(HttpServerRequest request, String tenant) {
        return "https://" + GraphApi.authority(request) + "/" + tenant + "/oauth2/v2.0/token";
    }

    private static void refuse(HttpServerRequest request, int status, String error, int code, String description) {
        String traceId = UUID.randomUUID().toString();
        String correlationId = request.getHeader("client-request-id") != null ? request.getHeader("client-request-id")
                : UUID.randomUUID().toString();
        String timestamp = AAD_TIME.format(Instant.now());
        StringBuilder out = new StringBuilder(512).append("{\"error\":");
        Json.string(out, error).append(",\"error_description\":");
        Json.string(out, "AADSTS" + code + ": " + description + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: "
                + correlationId + "\r\nTimestamp: " + timestamp).append(",\"error_codes\":[").append(code)
                .append("],\"timestamp\":");
        Json.string(out, timestamp).append(",\"trace_id\":");
        Json.string(out, traceId).append(",\"correlation_id\":");
        Json.string(out, correlationId).append(",\"error_uri\":");
        Json.string(out, "https://login.microsoftonline.com/error?code=" + code).append('}');
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(out.toString());
    }

    private static Map<String, String> form(Buffer body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(name, value);
        }
        return values;
    }
}
