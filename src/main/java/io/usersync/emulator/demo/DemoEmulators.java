package io.usersync.emulator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.usersync.emulator.google.DemoWorkspace;
import io.usersync.emulator.google.GoogleEmulator;
import io.usersync.emulator.google.GoogleWorkspace;
import io.usersync.emulator.graph.DemoDataset;
import io.usersync.emulator.graph.GraphEmulator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jboss.logging.Logger;

/**
 * Starts the Graph and Google emulators with their demo directories so the quickstart shows complete syncs with
 * no cloud tenant. Runs only when {@code usersync.demo.emulators.enabled=true} (the {@code demo} profile); the
 * whole {@code io.usersync.emulator} package is left out of production builds. It writes the request bodies that
 * connect a client account to each emulator, because they carry (demo) credentials the API never returns.
 */
@ApplicationScoped
public class DemoEmulators {

    private static final Logger LOG = Logger.getLogger(DemoEmulators.class);

    static final String CERTIFICATE_FILE = "graph-emulator-authority.pem";
    static final String M365_CONNECTION_FILE = "m365-connection.json";
    static final String GOOGLE_CONNECTION_FILE = "google-connection.json";

    @Inject
    DemoConfig config;

    @Inject
    ObjectMapper json;

    private GraphEmulator graph;
    private GoogleEmulator google;

    void onStart(@Observes StartupEvent event) throws IOException {
        if (!config.enabled()) {
            return;
        }
        Path dir = Files.createDirectories(Path.of(config.outputDir()));
        graph = GraphEmulator.start(config.graphPort(), config.loginPort());
        DemoDataset m365 = graph.loadDemoDataset();
        graph.writeCertificate(dir.resolve(CERTIFICATE_FILE));
        writePrivate(dir.resolve(M365_CONNECTION_FILE), m365ConnectionBody(m365));

        google = GoogleEmulator.start("127.0.0.1", config.googlePort(),
                new GoogleWorkspace(GoogleWorkspace.DEFAULT_CUSTOMER_ID, DemoWorkspace.DOMAIN));
        DemoWorkspace.Connection workspace = DemoWorkspace.load(google);
        writePrivate(dir.resolve(GOOGLE_CONNECTION_FILE), workspace.createConnectionBody());

        LOG.infof("demo emulators: Microsoft Graph at %s (tenant %s, %d users), Google Workspace at %s (%s);"
                + " connection request bodies in %s", graph.graphBaseUrl(), DemoDataset.DOMAIN,
                m365.tenant().userCount(), google.rootUrl(), DemoWorkspace.DOMAIN, dir.toAbsolutePath());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (graph != null) {
            graph.close();
        }
        if (google != null) {
            google.close();
        }
    }

    private String m365ConnectionBody(DemoDataset demo) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("provider", "M365");
        ObjectNode m365 = body.putObject("m365");
        m365.put("tenantId", DemoDataset.TENANT_ID);
        m365.put("clientId", DemoDataset.CLIENT_ID);
        m365.put("clientSecret", DemoDataset.CLIENT_SECRET);
        body.putObject("pool").put("allUsers", true);
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    }

    /** The bodies hold credentials (demo ones, but the habit matters): owner-readable only. */
    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
