package io.usersync.sync.m365;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryConnectorContract;
import io.usersync.sync.port.DirectoryFixture;
import jakarta.inject.Inject;

/** The shared connector contract, through the real Graph SDK and azure-identity against the emulator. */
@QuarkusTest
class M365ConnectorContractTest extends DirectoryConnectorContract {

    @Inject
    M365Connector connector;

    private final GraphFixture fixture = new GraphFixture();

    @Override
    protected DirectoryConnector connector() {
        return connector;
    }

    @Override
    protected DirectoryFixture fixture() {
        return fixture;
    }
}
