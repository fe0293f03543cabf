package io.usersync.billing.internal.payment;

import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import io.usersync.billing.api.Money;
import io.usersync.billing.api.PaymentGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The payment gateway in use until a real processor adapter is provided (any other {@link PaymentGateway} bean
 * replaces it): it charges nothing and records every charge, honouring idempotency keys exactly like a real
 * processor (the same key returns the first outcome, including a decline). Tests and the demo read the recorded
 * charges; tests can make an MSP's charges decline.
 */
@DefaultBean
@ApplicationScoped
public class RecordingPaymentGateway implements PaymentGateway {

    private static final Logger LOG = Logger.getLogger(RecordingPaymentGateway.class);

    /** A charge that "happened". */
    public record Charge(String reference, String idempotencyKey, UUID mspId, UUID invoiceId, Money amount,
            Instant at) {
    }

    private final Map<String, ChargeResult> byKey = new ConcurrentHashMap<>();
    private final List<Charge> charges = new ArrayList<>();
    private final Set<UUID> declining = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();

    void onStart(@Observes StartupEvent event) {
        LOG.info("payment gateway: the recording fake is in use (no real processor is configured); charges are"
                + " recorded, nobody is charged");
    }

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
