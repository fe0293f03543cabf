package io.usersync.testing.openapi;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Sends one request for an operation exactly as built: no URL re-encoding, no default headers. */
public final class Requests {

    private Requests() {
    }

    /**
     * @param authorization the whole Authorization header value, or null for none
     * @param query         query parameters (raw values, URL-encoded here)
     * @param body          a JSON value, a raw string (sent as is with the operation's media type), or null
     */
    public static Response send(Operation operation, String authorization, Map<String, String> pathValues,
            Map<String, String> query, Object body) {
        RequestSpecification request = given().urlEncodingEnabled(false).accept("*/*");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            // RestAssured cannot send a bodiless POST without a Content-Type (it would say text/plain), so
            // send what JSON clients send
            request.contentType(ContentType.JSON);
        } else {
            String mediaType = operation.body() == null ? "application/json" : operation.body().mediaType();
            if (body instanceof String raw) {
                request.contentType(mediaType + (mediaType.contains("charset") ? "" : "; charset=UTF-8"))
                        .body(raw.getBytes(StandardCharsets.UTF_8));
            } else if (body instanceof byte[] bytes) {
                request.contentType(mediaType).body(bytes);
            } else {
                request.contentType(ContentType.JSON).body(body);
            }
        }
        StringBuilder path = new StringBuilder(operation.expand(pathValues));
        char separator = '?';
        for (Map.Entry<String, String> q : query.entrySet()) {
            path.append(separator).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return request.request(operation.method(), path.toString());
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
