package io.usersync.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Registers the resources every {@code @QuarkusTest} shares: a fresh MySQL-family database and the Graph and Google
 * emulators the real SDKs talk to.
 */
@QuarkusTestResource(MariaDbTestResource.class)
@QuarkusTestResource(GoogleEmulatorResource.class)
@QuarkusTestResource(GraphEmulatorResource.class)
public final class GlobalTestResources {

    private GlobalTestResources() {
    }
}
