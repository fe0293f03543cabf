package io.usersync.billing.internal.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.scheduler.Scheduled;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract-limit job is guarded like the other jobs and its interval is validated at startup. */
class ContractLimitsScheduleTest {

    @Test
    void theJobDoesNotRunWhileTheApplicationIsNotRunning() throws Exception {
        Method job = ContractLimits.class.getDeclaredMethod("scheduled");
        Scheduled scheduled = job.getAnnotation(Scheduled.class);
        assertNotNull(scheduled);
        assertEquals(Scheduled.ApplicationNotRunning.class, scheduled.skipExecutionIf());
        assertEquals(Scheduled.ConcurrentExecution.SKIP, scheduled.concurrentExecution());
    }

    @Test
    void theBillingModelJobIsGuardedAndCannotBeSwitchedOff() throws Exception {
        Scheduled scheduled = BillingModelFollower.class.getDeclaredMethod("scheduled").getAnnotation(Scheduled.class);
        assertNotNull(scheduled);
        assertEquals(Scheduled.ApplicationNotRunning.class, scheduled.skipExecutionIf());
        assertEquals(Scheduled.ConcurrentExecution.SKIP, scheduled.concurrentExecution());
        assertTrue(scheduled.every().contains("usersync.billing.contracts.model-check-every"));
        ModelCheckEvery converter = new ModelCheckEvery();
        for (String good : List.of("1m", "30s", "PT5M")) {
            assertEquals(good, converter.convert(good), good);
        }
        for (String bad : List.of("off", "disabled", "", "0s", "-1m", "soon")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter.convert(bad),
                    bad);
            assertTrue(e.getMessage().contains("usersync.billing.contracts.model-check-every"), e.getMessage());
        }
    }

    @Test
    void limitCheckEveryAcceptsDurationsAndOffOnly() {
        LimitCheckEvery converter = new LimitCheckEvery();
        for (String good : List.of("5m", "30s", "1h", "PT5M", "2d", "500ms", "off", "OFF", "disabled")) {
            assertEquals(good, converter.convert(good), good);
        }
        for (String bad : List.of("", "5 minutes", "five", "0s", "-5m", "PT-1M", "m5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter.convert(bad),
                    bad);
            assertTrue(e.getMessage().contains("usersync.billing.contracts.limit-check-every"), e.getMessage());
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }
}
