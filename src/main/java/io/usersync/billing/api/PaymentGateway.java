package io.usersync.billing.api;

import java.util.Objects;
import java.util.UUID;

/**
 * Port to a payment processor. Implementations must honour the idempotency key: a second request with the same
 * key returns the outcome of the first and never charges again (as real processors do), because billing retries
 * after timeouts and crashes with the same key. Throwing means "outcome unknown"; billing retries later.
 */
public interface PaymentGateway {

    ChargeResult charge(ChargeRequest request);

    /**
     * @param idempotencyKey stable per invoice
     * @param mspId          the customer (the MSP's payment method on file)
     */
    record ChargeRequest(String idempotencyKey, UUID mspId, UUID invoiceId, Money amount, String description) {
        public ChargeRequest {
            Objects.requireNonNull(idempotencyKey);
            Objects.requireNonNull(mspId);
            Objects.requireNonNull(amount);
        }
    }

    /** A definite outcome: charged (with the processor's reference) or declined (with a reason). */
    record ChargeResult(boolean succeeded, String reference, String failureReason) {
        public static ChargeResult charged(String reference) {
            return new ChargeResult(true, reference, null);
        }

        public static ChargeResult declined(String reason) {
            return new ChargeResult(false, null, reason);
        }
    }
}
