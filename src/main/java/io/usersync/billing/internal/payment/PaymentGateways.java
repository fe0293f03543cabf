package io.usersync.billing.internal.payment;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.usersync.billing.api.PaymentGateway;
import io.usersync.billing.internal.BillingConfig;
import io.usersync.billing.internal.BillingConfig.Gateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Selects the {@link PaymentGateway} billing charges through, from {@code usersync.billing.payment.gateway}
 * ({@link BillingConfig.Payment#gateway()}), once at startup:
 * <ul>
 * <li>{@code none}: no gateway; {@link Charger} attempts no charge, invoices stay outstanding. Logged once.</li>
 * <li>{@code recording}: {@link RecordingPaymentGateway}, the test fake. Refused (startup fails) outside the
 * test, dev and demo profiles unless {@code usersync.billing.payment.allow-recording-gateway=true}.</li>
 * <li>{@code processor}: the single {@link PaymentGateway} bean a processor adapter provides (the fake is not
 * a {@code PaymentGateway} bean, so it can never be picked up by type). Startup fails without one.</li>
 * </ul>
 */
@ApplicationScoped
public class PaymentGateways {

    private static final Logger LOG = Logger.getLogger(PaymentGateways.class);

    /** Profiles in which the recording fake may be selected without the explicit allowance. */
    static final Set<String> FAKE_PROFILES = Set.of("test", "dev", "demo");

    @Inject
    BillingConfig config;

    @Inject
    Instance<RecordingPaymentGateway> recording;

    @Inject
    Instance<PaymentGateway> processors;

    private volatile Optional<PaymentGateway> active;

    void onStart(@Observes StartupEvent event) {
        active();
    }

    /** The gateway to charge through, or empty when no payment processor is configured. */
    public Optional<PaymentGateway> active() {
        Optional<PaymentGateway> selected = active;
        if (selected == null) {
            synchronized (this) {
                selected = active;
                if (selected == null) {
                    selected = select();
                    active = selected;
                }
            }
        }
        return selected;
    }

    /**
     * Test hook (like {@code AppClock#use}): charges go through {@code gateway}, empty meaning no processor, until
     * {@link #restoreSelection()}. Lets the suite prove the {@code none} behaviour without restarting Quarkus in
     * another profile; production code never calls it.
     */
    public void overrideSelection(Optional<PaymentGateway> gateway) {
        active = gateway;
    }

    /** Ends {@link #overrideSelection}: the configured gateway is selected again. */
    public void restoreSelection() {
        active = null;
    }

    private Optional<PaymentGateway> select() {
        Gateway gateway = config.payment().gateway();
        String refusal = refusal(gateway, ConfigUtils.getProfiles(), config.payment().allowRecordingGateway());
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        switch (gateway) {
            case NONE -> {
                LOG.warn("payment gateway: no payment processor is configured (usersync.billing.payment.gateway="
                        + "none); no invoice is charged, invoices stay OUTSTANDING and count as arrears");
                return Optional.empty();
            }
            case RECORDING -> {
                LOG.warn("payment gateway: the recording test fake is in use (usersync.billing.payment.gateway="
                        + "recording); charges are recorded in memory and invoices marked PAID, nobody is charged");
                return Optional.of(recording.get());
            }
            default -> {
                if (!processors.isResolvable()) {
                    throw new IllegalStateException("usersync.billing.payment.gateway=processor, but "
                            + (processors.isAmbiguous() ? "several PaymentGateway beans are" : "no PaymentGateway bean is")
                            + " deployed; deploy exactly one processor adapter or set the gateway to none");
                }
                PaymentGateway processor = processors.get();
                LOG.infof("payment gateway: processor adapter %s", processor.getClass().getName());
                return Optional.of(processor);
            }
        }
    }

    /**
     * Why the selection must not start, or null when it may.
     *
     * @param profiles the active configuration profiles
     */
    static String refusal(Gateway gateway, Collection<String> profiles, boolean allowRecording) {
        if (gateway != Gateway.RECORDING || allowRecording || profiles.stream().anyMatch(FAKE_PROFILES::contains)) {
            return null;
        }
        return "usersync.billing.payment.gateway=recording selects the test fake, which charges nobody and marks"
                + " invoices PAID; it is refused in profile " + profiles + ". Use none (invoices stay outstanding)"
                + " or processor, or set usersync.billing.payment.allow-recording-gateway=true to run the fake"
                + " on purpose";
    }
}
