package io.usersync.billing.internal.ledger;

import java.util.UUID;

/** Whose count a bucket summarises: the whole MSP ({@code clientId == null}) or one client account. */
public record BucketScope(UUID mspId, UUID clientId) {

    public static BucketScope msp(UUID mspId) {
        return new BucketScope(mspId, null);
    }

    public static BucketScope client(UUID mspId, UUID clientId) {
        return new BucketScope(mspId, clientId);
    }

    boolean isMsp() {
        return clientId == null;
    }

    String table() {
        return isMsp() ? "billing_bucket" : "billing_client_bucket";
    }

    /** The WHERE prefix selecting this scope's rows; bind with {@link #params}. */
    String where() {
        return isMsp() ? "msp_id = ?" : "msp_id = ? AND client_id = ?";
    }

    Object[] params(Object... more) {
        Object[] head = isMsp() ? new Object[] { mspId } : new Object[] { mspId, clientId };
        Object[] all = new Object[head.length + more.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        return all;
    }
}
