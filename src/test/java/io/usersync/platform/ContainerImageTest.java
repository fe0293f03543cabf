package io.usersync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read as text (no image registry or Docker engine here): every base image pinned by digest,
 * OCI labels naming what the image is and where it came from, the production build, a non-root user, and the
 * two ports the chart uses.
 */
class ContainerImageTest {

    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)", Pattern.MULTILINE);

    static String dockerfile() throws Exception {
        return Files.readString(Path.of("Dockerfile"));
    }

    @Test
    void everyBaseImageIsPinnedByDigest() throws Exception {
        Matcher from = FROM.matcher(dockerfile());
        int stages = 0;
        while (from.find()) {
            stages++;
            assertTrue(from.group(1).matches("[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}"),
                    "tag and digest: " + from.group(1));
        }
        assertEquals(2, stages, "a build stage and the runtime stage");
    }

    @Test
    void theImageCarriesOciLabelsAndTheRuntimeBaseDigest() throws Exception {
        String text = dockerfile();
        for (String label : List.of("title", "description", "version", "revision", "created", "base.name",
                "base.digest")) {
            assertTrue(text.contains("org.opencontainers.image." + label + "="), label);
        }
        Matcher runtime = Pattern.compile("^FROM\\s+\\S+@(sha256:[0-9a-f]{64})\\s*$", Pattern.MULTILINE).matcher(text);
        assertTrue(runtime.find());
        assertTrue(text.contains("org.opencontainers.image.base.digest=\"" + runtime.group(1) + "\""),
                "the label names the runtime base actually used");
    }

    @Test
    void theImageShipsTheProductionBuildAsANonRootUserOnTheChartsPorts() throws Exception {
        String text = dockerfile();
        assertTrue(text.contains("-Dproduction -Dmaven.test.skip=true package"), "the -Dproduction jar");
        assertTrue(text.contains("USER 10001:10001"));
        assertFalse(text.contains("HEALTHCHECK"), "Kubernetes probes do that");
        assertTrue(text.contains("EXPOSE 8080 9000"), "API and management ports, as in the chart");
    }
}
