package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.usersync.testing.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, for real: the packaged jar in its own JVM with the {@code demo} profile, no
 * database configured (so it starts the embedded MariaDB with its data under the working directory), on a
 * free port. Checks readiness, the OpenAPI document and the documented first calls with tokens from the
 * documented {@code mint-token} command; then that a restart finds the data again and that stopping the
 * service stops its database too.
 */
class RunCommandIT {

    /** The README's run command, minus the port (0: any free one) so tests never collide. */
    static final List<String> RUN = List.of("-Dquarkus.profile=demo", "-Dquarkus.http.port=0");
    static final Pattern EMBEDDED = Pattern.compile("embedded MariaDB on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void theRunCommandServesTheApiOnAnEmbeddedDatabaseThatSurvivesARestart() throws Exception {
        // a folder like a clone's (the service also keeps data under the temporary directory, see EmbeddedDatabase)
        Path dir = Files.createDirectories(Path.of("target", "it-work", "run-" + java.util.UUID.randomUUID()))
                .toAbsolutePath();
        try {
            runAndRestart(dir);
        } finally {
            try (var tree = Files.walk(dir)) {
                tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void runAndRestart(Path dir) throws Exception {
        String msp;
        try (ServiceProcess service = ServiceProcess.start(dir, RUN, Map.of())) {
            int port = service.awaitPort();
            assertTrue(service.output().contains("Profile demo activated"), service.output());
            // the demo accepts tokens signed with the published dev key: loopback only unless asked otherwise
            assertTrue(service.output().contains("Listening on: http://127.0.0.1:"), service.output());
            // a quiet start: none of the embedded MariaDB's installer and server chatter, no Hibernate metadata warning
            for (String noise : List.of("mariadb-install-db", "mariadbd:", "Unknown column 'RESERVED'",
                    "WARN  [org.hibernate")) {
                assertFalse(service.output().contains(noise), noise + " in:\n" + service.output());
            }
            RestAssured.given().port(service.managementPort()).get("/q/health/ready").then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("UP"));
            RestAssured.given().port(port).get("/q/health/ready").then().statusCode(404); // not on the API port
            RestAssured.given().port(port).accept("application/json").get("/q/openapi?format=json").then()
                    .statusCode(200).body("paths.keySet()", org.hamcrest.Matchers.hasItems("/api/msps",
                            "/api/msps/{mspId}/clients", "/api/clients/{clientId}/users"));

            // the README's curl flow
            String operator = mintToken(dir, "--role", "operator");
            msp = call(port, operator).body("{\"name\":\"Acme IT\"}").post("/api/msps").then().statusCode(201)
                    .extract().path("id");
            JsonPath client = call(port, operator).body("{\"name\":\"Contoso\",\"administrator\":{\"firstName\":"
                    + "\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada@contoso.example\"}}")
                    .post("/api/msps/" + msp + "/clients").then().statusCode(201).extract().jsonPath();
            String clientId = client.getString("client.id");
            String mspAdmin = mintToken(dir, "--role", "msp-admin", "--msp", msp);
            call(port, mspAdmin).get("/api/clients/" + clientId + "/users").then().statusCode(200)
                    .body("totalActive", org.hamcrest.Matchers.equalTo(1))
                    .body("items[0].email", org.hamcrest.Matchers.equalTo("ada@contoso.example"));
            String clientAdmin = mintToken(dir, "--role", "client-admin", "--msp", msp, "--client", clientId);
            call(port, clientAdmin).body("{\"firstName\":\"Grace\",\"lastName\":\"Hopper\",\"email\":"
                    + "\"grace@contoso.example\"}").post("/api/clients/" + clientId + "/users").then()
                    .statusCode(201);
            call(port, clientAdmin).get("/api/msps/" + msp).then().statusCode(403);

            // the embedded database listens on the loopback interface only
            Matcher m = EMBEDDED.matcher(service.output());
            assertTrue(m.find(), service.output());
            try (Connection db = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + m.group(1)
                    + "/usersync?sslMode=DISABLED", "root", ""); Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@bind_address")) {
                rs.next();
                assertEquals("127.0.0.1", rs.getString(1));
            }
            assertTrue(service.children().stream().anyMatch(p -> p.info().command().orElse("").contains("mariadb")),
                    "the embedded MariaDB runs as a child process");
            int exit = service.stop();
            assertTrue(exit == 0 || exit == 143, "SIGTERM ends the service gracefully, exit " + exit);
            assertEquals(List.of(), service.survivors(), "stopping the service stops its database");
        }
        assertTrue(Files.isDirectory(dir.resolve("data/mariadb/usersync")), "the data stays in ./data/mariadb");

        try (ServiceProcess again = ServiceProcess.start(dir, RUN, Map.of())) {
            int port = again.awaitPort();
            call(port, mintToken(dir, "--role", "operator")).get("/api/msps/" + msp).then().statusCode(200)
                    .body("name", org.hamcrest.Matchers.equalTo("Acme IT"));
            again.stop();
            assertEquals(List.of(), again.survivors());
        }
    }

    static String mintToken(Path dir, String... options) throws Exception {
        String[] args = new String[options.length + 1];
        args[0] = "mint-token";
        System.arraycopy(options, 0, args, 1, options.length);
        String token = ServiceProcess.run(dir, args).strip();
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), token);
        return token;
    }

    static RequestSpecification call(int port, String token) {
        return RestAssured.given().port(port).header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON);
    }
}
