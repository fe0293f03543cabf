package io.usersync.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the resources every {@code @QuarkusTest} shares: a fresh MySQL-family database. */
@QuarkusTestResource(MariaDbTestResource.class)
@QuarkusTestResource(GraphEmulatorResource.class)
public final class GlobalTestResources {

    private GlobalTestResources() {
    }
}
