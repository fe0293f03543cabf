package io.usersync.billing.internal.payment;

import io.usersync.billing.api.Money;
import io.usersync.billing.api.PaymentGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * <b>Test fake, never for production.</b> Selected only by {@code usersync.billing.payment.gateway=recording}
 * (the test, dev and demo profiles; {@link PaymentGateways} refuses it elsewhere unless explicitly allowed). It
 * charges nothing and records every "charge" in memory, honouring idempotency keys like a real processor (the
 * same key returns the first outcome, including a decline) — but only within one process: the record is lost on
 * restart and not shared between replicas, so after a restart the same key would "charge" again. That is fine
 * for a test or a single-process demo and one reason it must not run where money matters.
 *
 * <p>It is deliberately not a {@link PaymentGateway} bean by type ({@link Typed}), so a lookup of the port can
 * only find a real processor adapter. Tests and the demo read the recorded charges; tests can make an MSP's
 * charges decline.
 */
@ApplicationScoped
@Typed(RecordingPaymentGateway.class)
public class RecordingPaymentGateway implements PaymentGateway {

    /** A charge that "happened". */
    public record Charge(String reference, String idempotencyKey, UUID mspId, UUID invoiceId, Money amount,
            Instant at) {
    }

    private final Map<String, ChargeResult> byKey = new ConcurrentHashMap<>();
    private final List<Charge> charges = new ArrayList<>();
    private final Set<UUID> declining = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public ChargeResult charge(ChargeRequest request) {
        return byKey.computeIfAbsent(request.idempotencyKey(), key -> {
            if (declining.contains(request.mspId())) {
                return ChargeResult.declined("card declined (test)");
            }
            String reference = "fake_ch_" + sequence.incrementAndGet();
            synchronized (charges) {
                charges.add(new Charge(reference, key, request.mspId(), request.invoiceId(), request.amount(),
                        Instant.now()));
            }
            return ChargeResult.charged(reference);
        });
    }

    /** Successful charges of an MSP, in order. */
    public List<Charge> chargesOf(UUID mspId) {
        synchronized (charges) {
            return charges.stream().filter(c -> c.mspId().equals(mspId)).toList();
        }
    }

    /** Makes new charges of the MSP decline (or stop declining). */
    public void declineFor(UUID mspId, boolean decline) {
        if (decline) {
            declining.add(mspId);
        } else {
            declining.remove(mspId);
        }
    }
}
