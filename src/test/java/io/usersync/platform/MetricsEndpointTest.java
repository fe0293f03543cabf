package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.usersync.testing.Management;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes: the datasource (Agroal) pool meters are there, every meter says what it measures
 * (a non-empty {@code # HELP}), and the endpoint is on the management interface only.
 */
@QuarkusTest
class MetricsEndpointTest {

    /**
     * Meters whose descriptions their modules are adding (issue 16, engine and billing branches); remove a prefix
     * once its module's meters all have a description.
     */
    static final List<String> OWNED_ELSEWHERE = List.of("usersync_sync_", "usersync_billing_");

    /** Meter name → HELP text ("" when the HELP line is missing or empty), in exposition order. */
    static Map<String, String> help(String exposition) {
        Map<String, String> help = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                help.putIfAbsent(line.split(" ")[2], "");
            } else if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                help.put(parts[2], parts.length > 3 ? parts[3].strip() : "");
            }
        }
        return help;
    }

    @Test
    void datasourceMetersAreExposedWithHelp() {
        String metrics = Management.given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString();
        Map<String, String> help = help(metrics);
        for (String meter : List.of("agroal_active_count", "agroal_available_count", "agroal_awaiting_count",
                "agroal_max_used_count", "agroal_acquire_count_total", "agroal_blocking_time_total_milliseconds")) {
            assertTrue(help.containsKey(meter), meter + " missing from /q/metrics: " + help.keySet());
            assertTrue(metrics.contains(meter + "{datasource=\"default\""), meter + " of the default datasource");
        }
        List<String> withoutHelp = new ArrayList<>();
        help.forEach((meter, text) -> {
            if (text.isEmpty() && OWNED_ELSEWHERE.stream().noneMatch(meter::startsWith)) {
                withoutHelp.add(meter);
            }
        });
        assertEquals(List.of(), withoutHelp, "every meter explains itself in a HELP line");
    }

    @Test
    void healthAndMetricsAreNotOnTheApiPort() {
        RestAssured.given().get("/q/metrics").then().statusCode(404);
        RestAssured.given().get("/q/health/ready").then().statusCode(404);
        Management.given().get("/q/health/ready").then().statusCode(200);
    }
}
