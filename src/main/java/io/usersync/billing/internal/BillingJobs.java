package io.usersync.billing.internal;

import io.quarkus.scheduler.Scheduled;
import io.usersync.billing.api.BillingOperations;
import io.usersync.billing.internal.consumer.OutboxConsumer;
import io.usersync.billing.internal.invoice.InvoiceCloser;
import io.usersync.billing.internal.notice.SuspensionMonitor;
import io.usersync.billing.internal.payment.Charger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The billing jobs: the scheduled closing / charging / suspension round of every replica, and the same work on
 * demand ({@link BillingOperations}) for tests, benchmarks and operations.
 */
@ApplicationScoped
public class BillingJobs implements BillingOperations {

    private static final Logger LOG = Logger.getLogger(BillingJobs.class);

    @Inject
    BillingConfig config;

    @Inject
    OutboxConsumer consumer;

    @Inject
    InvoiceCloser closer;

    @Inject
    Charger charger;

    @Inject
    SuspensionMonitor suspensions;

    @Scheduled(identity = "billing-jobs", every = "${usersync.billing.close.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void round() {
        consumer.refreshLag(false); // also on replicas that do not run the consumer
        if (!config.close().enabled()) {
            return;
        }
        try {
            closer.closeDue();
        } catch (RuntimeException e) {
            LOG.warnf("billing close round failed: %s", e.toString());
        }
        try {
            charger.retryDue();
        } catch (RuntimeException e) {
            LOG.warnf("billing payment round failed: %s", e.toString());
        }
        try {
            suspensions.evaluate();
        } catch (RuntimeException e) {
            LOG.warnf("billing suspension round failed: %s", e.toString());
        }
    }

    @Override
    public int consumeOutbox() {
        return consumer.drain();
    }

    @Override
    public int closeDuePeriods() {
        return closer.closeDue();
    }

    @Override
    public void chargeOutstanding(UUID mspId) {
        charger.chargeOutstanding(mspId, true);
    }

    @Override
    public void evaluateSuspensions() {
        suspensions.evaluate();
    }
}
