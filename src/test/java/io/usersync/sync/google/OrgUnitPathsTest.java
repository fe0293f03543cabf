package io.usersync.sync.google;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrgUnitPathsTest {

    @Test
    void unitsInsideAnotherPoolUnitAreDropped() {
        assertEquals(List.of("/Sales", "/Support"), GooglePoolReader.outermostUnits(
                List.of("/Sales/EMEA", "/Sales", "/Support/", "/sales/emea/berlin", "/SUPPORT")));
        assertEquals(List.of("/Sales", "/SalesOps"), GooglePoolReader.outermostUnits(List.of("/Sales", "/SalesOps")),
                "a common prefix is not a parent");
        assertEquals(List.of("/"), GooglePoolReader.outermostUnits(List.of("/Sales", "/", "/Support")));
    }
}
