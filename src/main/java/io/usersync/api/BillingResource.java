package io.usersync.api;

import io.usersync.api.dto.BillingDtos.BandRequest;
import io.usersync.api.dto.BillingDtos.InvoiceSummaryView;
import io.usersync.api.dto.BillingDtos.InvoiceView;
import io.usersync.api.dto.BillingDtos.NoticeView;
import io.usersync.api.dto.BillingDtos.PeriodReportView;
import io.usersync.api.dto.BillingDtos.PeriodSummaryView;
import io.usersync.api.dto.BillingDtos.PriceBookRequest;
import io.usersync.api.dto.BillingDtos.PriceBookView;
import io.usersync.api.dto.BillingDtos.UsageView;
import io.usersync.api.dto.PageView;
import io.usersync.api.security.CurrentCaller;
import io.usersync.billing.api.BillingUsage;
import io.usersync.billing.api.PriceBand;
import io.usersync.billing.api.PriceBookChange;
import io.usersync.billing.api.PriceBooks;
import io.usersync.billing.api.PricingMode;
import io.usersync.billing.api.Trials;
import io.usersync.common.Cursor;
import io.usersync.common.error.DomainException;
import io.usersync.tenant.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An MSP's monthly billing: live usage, periods, invoices, price book and notices. Operators and the MSP's
 * administrators; client administrators get 403, another MSP's administrators 404.
 */
@Path("/api/msps/{mspId}/billing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Role.OPERATOR_NAME, Role.MSP_ADMIN_NAME, Role.CLIENT_ADMIN_NAME })
@Tag(name = "Billing")
public class BillingResource {

    @Inject
    CurrentCaller caller;

    @Inject
    BillingUsage usage;

    @Inject
    PriceBooks priceBooks;

    @Inject
    Trials trials;

    @GET
    @Path("usage")
    @Operation(summary = "Live usage: current period, running peak, billable users now, per-client counts, trials"
            + " and their end dates, arrears")
    public UsageView usage(@PathParam("mspId") String mspId) {
        UUID msp = Params.id("mspId", mspId);
        return UsageView.of(usage.live(caller.get(), msp), trials.trials(caller.get(), msp));
    }

    @GET
    @Path("periods")
    @Operation(summary = "Billing periods from the current one backwards, with their peaks and invoices")
    public PageView<PeriodSummaryView> periods(@PathParam("mspId") String mspId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return PageView.of(usage.periods(caller.get(), Params.id("mspId", mspId), cursor, Cursor.limit(limit)),
                PeriodSummaryView::of);
    }

    @GET
    @Path("periods/{index}")
    @Operation(summary = "One billing period with its per-client breakdown")
    public PeriodReportView period(@PathParam("mspId") String mspId, @PathParam("index") String index) {
        return PeriodReportView.of(usage.period(caller.get(), Params.id("mspId", mspId), periodIndex(index)));
    }

    @GET
    @Path("invoices")
    @Operation(summary = "Issued invoices, newest first")
    public PageView<InvoiceSummaryView> invoices(@PathParam("mspId") String mspId,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return PageView.of(usage.invoices(caller.get(), Params.id("mspId", mspId), Cursor.decode(cursor),
                Cursor.limit(limit)), InvoiceSummaryView::of);
    }

    @GET
    @Path("invoices/{invoiceId}")
    @Operation(summary = "An invoice with its lines, per-client breakdown and payment state")
    public InvoiceView invoice(@PathParam("mspId") String mspId, @PathParam("invoiceId") String invoiceId) {
        return InvoiceView.of(usage.invoice(caller.get(), Params.id("mspId", mspId),
                Params.id("invoiceId", invoiceId)));
    }

    @GET
    @Path("notices")
    @Operation(summary = "Billing notices ('suspension recommended', 'trial ended'), newest first")
    public List<NoticeView> notices(@PathParam("mspId") String mspId) {
        return usage.notices(caller.get(), Params.id("mspId", mspId)).stream().map(NoticeView::of).toList();
    }

    @GET
    @Path("price-book")
    @Operation(summary = "The price book in force (the configured default when the MSP has none)")
    public PriceBookView priceBook(@PathParam("mspId") String mspId) {
        UUID msp = Params.id("mspId", mspId);
        return PriceBookView.of(msp, priceBooks.current(caller.get(), msp));
    }

    @PUT
    @Path("price-book")
    @Operation(summary = "Set a new price book version, effective now (operators only)")
    public PriceBookView replacePriceBook(@PathParam("mspId") String mspId, PriceBookRequest body) {
        Params.body(body);
        UUID msp = Params.id("mspId", mspId);
        List<PriceBand> bands = null;
        if (body.bands() != null) {
            bands = new ArrayList<>(body.bands().size());
            for (int i = 0; i < body.bands().size(); i++) {
                BandRequest band = body.bands().get(i);
                if (band == null || band.fromUsers() == null) {
                    throw DomainException.invalidField("bands[" + i + "].fromUsers", "is required");
                }
                bands.add(new PriceBand(band.fromUsers(), band.unitPrice()));
            }
        }
        return PriceBookView.of(msp, priceBooks.replace(caller.get(), msp,
                new PriceBookChange(body.currency(), Params.enumValue("mode", body.mode(), PricingMode.class), bands)));
    }

    private static int periodIndex(String text) {
        try {
            int index = Integer.parseInt(text);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DomainException.invalidField("index", "must be a period number from 0");
    }
}
