package io.usersync.billing.api;

import java.util.UUID;

/**
 * The billing jobs, callable directly by tests, benchmarks and operations tooling. The same work runs in the
 * background on every replica; each method is safe to call concurrently with it and from several replicas.
 */
public interface BillingOperations {

    /**
     * Applies every outbox event committed before the call (waiting for a batch another replica is applying).
     *
     * @return the number of outbox rows consumed
     */
    int consumeOutbox();

    /**
     * Issues every invoice that is due: its period ended more than the close grace ago and no event with an
     * instant before the period end is still unconsumed.
     *
     * @return the number of invoices issued by this call
     */
    int closeDuePeriods();

    /** Charges every outstanding invoice of the MSP now if it has a payment method on file. */
    void chargeOutstanding(UUID mspId);

    /** Raises or clears "suspension recommended" notices from the current arrears. */
    void evaluateSuspensions();
}
