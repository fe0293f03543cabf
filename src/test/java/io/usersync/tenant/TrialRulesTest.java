package io.usersync.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.WithConverter;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.ProblemType;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Trials end: their length, who may move the end and how far, and the settings checked at startup. */
class TrialRulesTest {

    static final Instant START = Instant.parse("2025-01-10T09:00:00Z");

    @Test
    void aTrialLastsMaxDaysAndItsEndMovesOnlyWithinThem() {
        assertEquals(Instant.parse("2025-02-09T09:00:00Z"), TrialRules.latestEnd(START, 30));
        Instant now = Instant.parse("2025-01-20T12:00:00Z");
        assertEquals(Instant.parse("2025-02-01T00:00:00Z"),
                TrialRules.checkNewEnd(Instant.parse("2025-02-01T00:00:00Z"), START, now, 30));
        assertEquals(now, TrialRules.checkNewEnd(now, START, now, 30), "now ends the trial at once");
        assertEquals(Instant.parse("2025-02-09T09:00:00Z"),
                TrialRules.checkNewEnd(Instant.parse("2025-02-09T09:00:00Z"), START, now, 30));
        for (Instant bad : new Instant[] { Instant.parse("2025-02-09T09:00:00.000001Z"),
                Instant.parse("2025-01-20T11:59:59Z"), null }) {
            DomainException e = assertThrows(DomainException.class, () -> TrialRules.checkNewEnd(bad, START, now, 30));
            assertEquals("trialEndsAt", e.fields().get(0).field());
            assertEquals(ProblemType.INVALID_REQUEST, e.type());
        }
    }

    @Test
    void onlyAnOperatorPutsAnAccountBackIntoTrial() {
        TrialRules.checkEnteringTrial(Role.OPERATOR, ClientStatus.ACTIVE);
        TrialRules.checkEnteringTrial(Role.MSP_ADMIN, ClientStatus.TRIAL);
        assertEquals(ProblemType.FORBIDDEN, assertThrows(DomainException.class,
                () -> TrialRules.checkEnteringTrial(Role.MSP_ADMIN, ClientStatus.ACTIVE)).type());
        assertEquals(ProblemType.FORBIDDEN, assertThrows(DomainException.class,
                () -> TrialRules.checkEnteringTrial(Role.MSP_ADMIN, ClientStatus.SUSPENDED)).type());
    }

    @Test
    void theSettingsAreCheckedAtStartup() throws Exception {
        TrialMaxDays maxDays = new TrialMaxDays();
        assertEquals(30, maxDays.convert("30"));
        assertEquals(1, maxDays.convert(" 1 "));
        assertEquals(365, maxDays.convert("365"));
        for (String bad : List.of("0", "-5", "366", "thirty", "", "30d", "1.5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> maxDays.convert(bad), bad);
            assertTrue(e.getMessage().contains("usersync.billing.trial.max-days"), e.getMessage());
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
        TrialCheckEvery every = new TrialCheckEvery();
        assertEquals("1m", every.convert("1m"));
        for (String bad : List.of("off", "disabled", "0s", "soon")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> every.convert(bad), bad);
            assertTrue(e.getMessage().contains("usersync.billing.trial.check-every"), e.getMessage());
        }
        // the converters are the ones the configuration uses
        assertEquals(TrialMaxDays.class, TrialConfig.class.getMethod("maxDays").getAnnotation(WithConverter.class)
                .value());
        assertEquals(TrialCheckEvery.class, TrialConfig.class.getMethod("checkEvery")
                .getAnnotation(WithConverter.class).value());
    }

    @Property(tries = 1000)
    void anAcceptedEndIsNeverInThePastNorBeyondTheLongestTrial(@ForAll @IntRange(min = 1, max = 365) int maxDays,
            @ForAll @LongRange(min = 0, max = 400L * 86_400) long nowOffset,
            @ForAll @LongRange(min = -10L * 86_400, max = 400L * 86_400) long requestedOffset) {
        Instant now = START.plusSeconds(nowOffset);
        Instant requested = now.plusSeconds(requestedOffset);
        Instant latest = TrialRules.latestEnd(START, maxDays);
        boolean accepted;
        try {
            assertEquals(requested, TrialRules.checkNewEnd(requested, START, now, maxDays));
            accepted = true;
        } catch (DomainException e) {
            accepted = false;
        }
        assertEquals(!requested.isBefore(now) && !requested.isAfter(latest), accepted);
        assertFalse(accepted && requested.isAfter(START.plus(java.time.Duration.ofDays(maxDays))));
    }
}
