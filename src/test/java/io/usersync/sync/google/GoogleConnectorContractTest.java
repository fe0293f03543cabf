package io.usersync.sync.google;

import io.quarkus.test.junit.QuarkusTest;
import io.usersync.sync.port.DirectoryConnector;
import io.usersync.sync.port.DirectoryConnectorContract;
import io.usersync.sync.port.DirectoryFixture;
import jakarta.inject.Inject;

/** The shared connector contract, run against the Google adapter and the Google emulator over HTTP. */
@QuarkusTest
class GoogleConnectorContractTest extends DirectoryConnectorContract {

    private static final GoogleFixture FIXTURE = new GoogleFixture();

    @Inject
    GoogleConnector connector;

    @Override
    protected DirectoryConnector connector() {
        return connector;
    }

    @Override
    protected DirectoryFixture fixture() {
        return FIXTURE;
    }
}
