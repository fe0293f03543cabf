package io.usersync.emulator.google;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google's OAuth 2.0 token endpoint for service accounts: the JWT-bearer grant
 * ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}, RFC 7523). The assertion must be RS256-signed
 * by a registered key of the issuing service account ({@code kid} selects it), carry
 * {@code aud=https://oauth2.googleapis.com/token} (the audience Google requires and the auth library always
 * signs, wherever it sends the request; the emulator's own token URL is accepted too), a lifetime of at most an
 * hour around now, and a {@code scope}. With a {@code sub}, domain-wide delegation must be authorised for the
 * account's client id and every requested scope, and the subject must be a user of the Workspace. Errors are
 * Google's {@code {"error","error_description"}} bodies: {@code invalid_grant} (400), {@code unauthorized_client}
 * (401), {@code invalid_scope}, {@code unsupported_grant_type}, {@code invalid_request}.
 * <p>
 * As at Google, delegation to a user who is not an administrator yields a token; the Directory API then
 * answers 403 for it.
 */
final class TokenEndpoint {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token";
    static final long LIFETIME_SECONDS = 3600;
    private static final long SKEW_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What an access token allows. {@code subject} is null for the service account acting as itself. */
    record Grant(String clientEmail, String subject, Set<String> scopes, Instant expiresAt) {
    }

    /** An answer of the endpoint: status and JSON body. */
    record Answer(int status, Map<String, Object> body) {
    }

    private final GoogleWorkspace workspace;
    private final String ownUrl;
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();

    TokenEndpoint(GoogleWorkspace workspace, String ownUrl) {
        this.workspace = workspace;
        this.ownUrl = ownUrl;
    }

    Grant grantOf(String accessToken, Instant now) {
        Grant grant = accessToken == null ? null : tokens.get(accessToken);
        return grant == null || !grant.expiresAt().isAfter(now) ? null : grant;
    }

    void forgetTokens() {
        tokens.clear();
    }

    Answer handle(String formBody, Instant now) {
        Map<String, String> form = parseForm(formBody);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            return error(400, "invalid_request", "Missing required parameter: grant_type");
        }
        if (!GRANT_TYPE.equals(grantType)) {
            return error(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
        }
        String assertion = form.get("assertion");
        if (assertion == null || assertion.isEmpty()) {
            return error(400, "invalid_request", "Missing required parameter: assertion");
        }
        String[] parts = assertion.split("\\.", -1);
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (Exception e) {
            return error(400, "invalid_grant", "Invalid JWT: could not be decoded.");
        }
        String issuer = claims.path("iss").asText(null);
        Map<String, PublicKey> keys;
        String clientId;
        Set<String> delegated;
        synchronized (workspace) {
            keys = issuer == null ? null : workspace.keysOf(issuer);
            clientId = issuer == null ? null : workspace.clientIdOf(issuer);
            delegated = clientId == null ? Set.of() : Set.copyOf(workspace.delegatedScopes(clientId));
        }
        if (keys == null) {
            return error(400, "invalid_grant", "Invalid grant: account not found");
        }
        if (!"RS256".equals(header.path("alg").asText()) || !verifies(keys, header.path("kid").asText(null),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            return error(400, "invalid_grant", "Invalid JWT Signature.");
        }
        String audience = claims.path("aud").asText("");
        if (!audience.equals(GOOGLE_AUDIENCE) && !audience.equals(ownUrl)) {
            return error(400, "invalid_grant", "Invalid JWT: Failed audience check. The right audience is "
                    + GOOGLE_AUDIENCE);
        }
        long iat = claims.path("iat").asLong(-1);
        long exp = claims.path("exp").asLong(-1);
        long nowSeconds = now.getEpochSecond();
        if (iat < 0 || exp <= nowSeconds || iat > nowSeconds + SKEW_SECONDS || exp - iat > LIFETIME_SECONDS) {
            return error(400, "invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in"
                    + " a reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(claims.path("scope").asText("").trim().split("\\s+")));
        scopes.remove("");
        if (scopes.isEmpty() || scopes.stream().anyMatch(s -> !s.startsWith("https://www.googleapis.com/auth/"))) {
            return error(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        String subject = claims.path("sub").asText(null);
        if (subject != null && !subject.isEmpty() && !subject.equals(issuer)) {
            if (!delegated.containsAll(scopes)) {
                return error(401, "unauthorized_client", "Client is unauthorized to retrieve access tokens using"
                        + " this method, or client not authorized for any of the scopes requested.");
            }
            synchronized (workspace) {
                if (workspace.lookup(subject) == null) {
                    return error(400, "invalid_grant", "Invalid email or User ID");
                }
            }
        } else {
            subject = null;
        }
        String token = "ya29.emu-" + randomToken();
        tokens.put(token, new Grant(issuer, subject, Set.copyOf(scopes), now.plusSeconds(LIFETIME_SECONDS)));
        if (tokens.size() > 10_000) {
            tokens.values().removeIf(g -> !g.expiresAt().isAfter(now));
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("access_token", token);
        body.put("expires_in", LIFETIME_SECONDS - 1);
        body.put("token_type", "Bearer");
        return new Answer(200, body);
    }

    private static boolean verifies(Map<String, PublicKey> keys, String keyId, byte[] signed, byte[] signature) {
        List<PublicKey> candidates = keyId != null ? (keys.containsKey(keyId) ? List.of(keys.get(keyId)) : List.of())
                : List.copyOf(keys.values());
        for (PublicKey key : candidates) {
            try {
                Signature verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(key);
                verifier.update(signed);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (Exception e) {
                // a signature that cannot even be checked is a wrong signature
            }
        }
        return false;
    }

    private static Answer error(int status, String error, String description) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return new Answer(status, body);
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        if (body == null) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.putIfAbsent(name, value);
        }
        return form;
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
