package io.usersync.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URI;

/**
 * The running test application's management interface ({@code quarkus.management.enabled}): health
 * ({@code /q/health/*}) and metrics ({@code /q/metrics}) answer there, on a port of their own, not on the API port.
 */
public final class Management {

    private Management() {
    }

    /** RestAssured aimed at the management interface of the {@code @QuarkusTest} application. */
    public static RequestSpecification given() {
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return RestAssured.given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }
}
