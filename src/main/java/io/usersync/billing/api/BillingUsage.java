package io.usersync.billing.api;

import io.usersync.common.Cursor;
import io.usersync.common.Page;
import io.usersync.tenant.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Read side of MSP billing. Operators see every MSP, an MSP administrator only its own (another MSP answers
 * 404); client administrators are refused (403) because billing is the MSP's business.
 */
public interface BillingUsage {

    /** Live usage: current period, running peak, current billable users, per-client counts, arrears. */
    LiveUsage live(Caller caller, UUID mspId);

    /** Periods from the current one backwards; {@code cursor} is the {@code nextCursor} of the previous page. */
    Page<PeriodSummary> periods(Caller caller, UUID mspId, String cursor, int limit);

    /** One period with its per-client breakdown (live while open, the invoice's once issued). */
    PeriodReport period(Caller caller, UUID mspId, int index);

    /** Issued invoices, newest first. */
    Page<InvoiceSummary> invoices(Caller caller, UUID mspId, UUID after, int limit);

    Invoice invoice(Caller caller, UUID mspId, UUID invoiceId);

    /**
     * Notices recorded for the MSP, newest first ({@code raisedAt}, then id), one page: {@code after} is the
     * decoded {@code nextCursor} of the previous page (null for the first), the same cursor convention as
     * {@link #invoices}.
     */
    Page<Notice> notices(Caller caller, UUID mspId, UUID after, int limit);

    /** Every notice recorded for the MSP, newest first: all pages of {@link #notices(Caller, UUID, UUID, int)}. */
    default List<Notice> notices(Caller caller, UUID mspId) {
        List<Notice> all = new ArrayList<>();
        UUID after = null;
        while (true) {
            Page<Notice> page = notices(caller, mspId, after, Cursor.MAX_LIMIT);
            all.addAll(page.items());
            if (page.nextCursor() == null) {
                return List.copyOf(all);
            }
            after = Cursor.decode(page.nextCursor());
        }
    }
}
