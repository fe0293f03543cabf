package io.usersync.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events tenants can subscribe to with a webhook endpoint, by their wire name ({@code type} of the payload).
 * {@link #mspOnly()} types are about the MSP as a whole and go only to endpoints registered on the MSP.
 */
public enum WebhookEventType {
    /** A sync run was held for approval (mass deactivation or an empty pool). */
    SYNC_RUN_HELD("sync.run.held", false),
    /** A sync run failed (nothing, or only whole chunks, applied). */
    SYNC_RUN_FAILED("sync.run.failed", false),
    /** A sync run ended successfully (dry runs and deny-list runs included, see {@code trigger}/{@code dryRun}). */
    SYNC_RUN_SUCCEEDED("sync.run.succeeded", false),
    /** A user became billable (activated) or stopped being billable (deactivated or deleted while active). */
    USER_BILLABLE_CHANGED("user.billable.changed", false),
    /** An invoice (monthly or contract) was issued to the MSP. */
    BILLING_INVOICE_ISSUED("billing.invoice.issued", true),
    /** A billing notice (e.g. suspension recommended) was raised about the MSP. */
    BILLING_NOTICE_RAISED("billing.notice.raised", true),
    /** Another webhook endpoint of the same tenant was disabled after failing for too long (or answering 410). */
    WEBHOOK_ENDPOINT_DISABLED("webhook.endpoint.disabled", false);

    private final String wireName;
    private final boolean mspOnly;

    WebhookEventType(String wireName, boolean mspOnly) {
        this.wireName = wireName;
        this.mspOnly = mspOnly;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether only endpoints registered on the MSP (not on one client account) may subscribe. */
    public boolean mspOnly() {
        return mspOnly;
    }

    public static Optional<WebhookEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
