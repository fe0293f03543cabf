package io.usersync.billing.internal.contracts;

import io.quarkus.panache.common.Sort;
import io.usersync.billing.api.ContractFeature;
import io.usersync.billing.api.Payment;
import io.usersync.billing.api.PaymentStatus;
import io.usersync.billing.api.Contracts.Contract;
import io.usersync.billing.api.Contracts.ContractStatus;
import io.usersync.billing.api.Contracts.Invoice;
import io.usersync.billing.api.Contracts.InvoiceKind;
import io.usersync.billing.api.Contracts.InvoiceLine;
import io.usersync.billing.api.Contracts.NewContract;
import io.usersync.billing.api.Contracts.Renewal;
import io.usersync.billing.internal.contracts.ContractPricing.Terms;
import io.usersync.billing.internal.Sql;
import io.usersync.billing.internal.contracts.ContractPricing.YearPosition;
import io.usersync.billing.internal.payment.Charger;
import io.usersync.common.Ids;
import io.usersync.common.error.DomainException;
import io.usersync.common.error.DomainException.FieldProblem;
import io.usersync.common.error.ProblemType;
import io.usersync.common.time.AppClock;
import io.usersync.events.WebhookEvent;
import io.usersync.events.WebhookEvents;
import io.usersync.tenant.BillingModel;
import io.usersync.tenant.Caller;
import io.usersync.tenant.ClientAccount;
import io.usersync.tenant.Role;
import io.usersync.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Annual contracts. Every change locks the client account row first ({@link TenantService#lockClient}), which
 * serialises it with other contract changes and with user management, so the overlap check and the user limit
 * cannot be raced.
 *
 * <p>Decisions:
 * <ul>
 * <li>Only client accounts on the {@code ANNUAL} billing model get contracts or upgrades (409
 * {@code contract-requires-annual}).</li>
 * <li>Contracts of one client account never overlap (409 {@code contract-overlap}); the start date may be in the
 * past (recording a running contract) but the contract must not have ended already, and may be at most two
 * years ahead.</li>
 * <li>While a contract is in effect (start ≤ today &lt; end, UTC) its licensed count is the client account's
 * user limit: set at once when it is made or upgraded, and by {@link ContractLimits} on the day a contract
 * starts. If more users are active than licensed (a renewal with fewer blocks), the limit is the active count,
 * so no further user can be activated until enough are deactivated, and it comes down to the licensed count as
 * they are. After the last contract ends the limit stays as it was, until a renewal.</li>
 * <li>Upgrades take effect today (or at the start of a contract that has not started) and are invoiced pro rata
 * ({@link ContractPricing}). Fewer blocks are refused before the renewal (409
 * {@code contract-downgrade-refused}); an ended contract cannot be upgraded.</li>
 * <li>A renewal is a new contract from the day the current one ends (so it cannot overlap), priced with the
 * current price list; it may change the term, the blocks (fewer too), the features and the sector.</li>
 * <li>Contract invoices are collected like monthly invoices: each gets a {@code billing_payment} row in the
 * transaction that issues it ({@link Charger#recordIssued}), outstanding until charged. The billing round
 * ({@code usersync.billing.close.interval}) charges it through the payment gateway if the MSP has a payment
 * method on file, adding a payment method charges it at once, and until then it counts in the MSP's arrears and
 * the "suspension recommended" notice. Nothing is charged inside the request that makes the contract.</li>
 * </ul>
 */
@ApplicationScoped
@Transactional
public class ContractService {

    /** Most blocks of a contract: 10 000 000 users, the largest user limit a client account can have. */
    static final int MAX_BLOCKS = 200_000;
    static final int MAX_YEARS_AHEAD = 2;

    @Inject
    TenantService tenants;

    @Inject
    PriceListService priceLists;

    @Inject
    ContractLimits limits;

    @Inject
    AppClock clock;

    @Inject
    DataSource dataSource;

    @Inject
    WebhookEvents webhooks;

    public Contract create(Caller caller, UUID clientId, NewContract request) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = tenants.lockClient(caller, clientId);
        return createLocked(caller, client, request, null);
    }

    public List<Contract> list(Caller caller, UUID clientId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        List<AnnualContract> contracts = AnnualContract.list("mspId = ?1 and clientId = ?2",
                Sort.by("startDate"), client.mspId, client.id);
        return contracts.stream().map(this::view).toList();
    }

    public Contract get(Caller caller, UUID clientId, UUID contractId) {
        ClientAccount client = tenants.getClient(caller, clientId);
        return view(find(client, contractId));
    }

    public Contract upgrade(Caller caller, UUID clientId, UUID contractId, Integer blocks) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = tenants.lockClient(caller, clientId);
        AnnualContract contract = find(client, contractId);
        requireAnnual(client);
        int target = blocks(blocks);
        LocalDate today = today();
        if (!today.isBefore(contract.endDate)) {
            throw new DomainException(ProblemType.CONFLICT, "Contract " + contract.id + " ended on "
                    + contract.endDate + "; renew it instead");
        }
        if (target < contract.blocks) {
            throw new DomainException(ProblemType.CONTRACT_DOWNGRADE_REFUSED, "Contract " + contract.id + " has "
                    + contract.blocks + " blocks until " + contract.endDate + "; fewer blocks can only be agreed in "
                    + "its renewal", List.of(new FieldProblem("blocks", "must be more than " + contract.blocks)));
        }
        if (target == contract.blocks) {
            throw new DomainException(ProblemType.CONFLICT, "Contract " + contract.id + " already has " + target
                    + " blocks", List.of(new FieldProblem("blocks", "must be more than " + contract.blocks)));
        }
        LocalDate effective = today.isBefore(contract.startDate) ? contract.startDate : today;
        YearPosition position = ContractPricing.position(contract.startDate, contract.termYears, effective);
        long added = (long) (target - contract.blocks) * AnnualContract.BLOCK_SIZE;
        List<InvoiceLine> lines = ContractPricing.upgradeInvoice(terms(contract), added, position);
        issue(contract, InvoiceKind.UPGRADE, contract.blocks, target, effective, lines);
        contract.blocks = target;
        contract.updatedAt = clock.now();
        if (contract.inEffectOn(today)) {
            limits.apply(caller, client.id, contract.licensedUsers());
        }
        return view(contract);
    }

    public Contract renew(Caller caller, UUID clientId, UUID contractId, Renewal renewal) {
        caller.requireAtLeast(Role.MSP_ADMIN);
        ClientAccount client = tenants.lockClient(caller, clientId);
        AnnualContract current = find(client, contractId);
        String sector = renewal.sector() == null ? current.sector
                : renewal.sector().isBlank() ? null : renewal.sector();
        NewContract next = new NewContract(current.endDate,
                renewal.termYears() == null ? current.termYears : renewal.termYears(),
                renewal.blocks() == null ? current.blocks : renewal.blocks(),
                renewal.features() == null ? current.featurePrices().keySet() : renewal.features(), sector);
        return createLocked(caller, client, next, current.id);
    }

    private Contract createLocked(Caller caller, ClientAccount client, NewContract request, UUID renewalOf) {
        requireAnnual(client);
        int termYears = termYears(request.termYears());
        int blocks = blocks(request.blocks());
        LocalDate today = today();
        LocalDate start = request.startDate() == null ? today : request.startDate();
        if (start.isAfter(today.plusYears(MAX_YEARS_AHEAD))) {
            throw DomainException.invalidField("startDate", "must be at most " + MAX_YEARS_AHEAD
                    + " years from today");
        }
        LocalDate end = start.plusYears(termYears);
        if (!end.isAfter(today)) {
            throw DomainException.invalidField("startDate", "the contract would have ended on " + end);
        }
        AnnualContract overlapping = AnnualContract.<AnnualContract>find(
                "mspId = ?1 and clientId = ?2 and startDate < ?3 and endDate > ?4", Sort.by("startDate"),
                client.mspId, client.id, end, start).firstResult();
        if (overlapping != null) {
            throw new DomainException(ProblemType.CONTRACT_OVERLAP, "The contract from " + start + " to " + end
                    + " overlaps contract " + overlapping.id + " (" + overlapping.startDate + " to "
                    + overlapping.endDate + "); contracts of a client account never overlap — upgrade or renew "
                    + "that contract instead", List.of(new FieldProblem("startDate", "overlaps contract "
                            + overlapping.id)));
        }
        PriceListService.Effective prices = priceLists.effective(client.mspId);
        Set<ContractFeature> features = request.features() == null ? Set.of() : request.features();
        if (features.stream().anyMatch(java.util.Objects::isNull)) {
            throw DomainException.invalidField("features", "must name features: " + List.of(ContractFeature.values()));
        }
        Map<ContractFeature, Long> featurePrices = new EnumMap<>(ContractFeature.class);
        features.forEach(f -> featurePrices.put(f, prices.featurePrices().get(f)));
        String sector = null;
        int sectorBp = 0;
        if (request.sector() != null) {
            sector = PriceListService.sectorCode(request.sector());
            if (sector == null || !prices.sectorBp().containsKey(sector)) {
                throw DomainException.invalidField("sector", "must be one of the price list's sectors "
                        + prices.sectorBp().keySet() + ", or absent");
            }
            sectorBp = prices.sectorBp().get(sector);
        }

        Instant now = clock.now();
        AnnualContract contract = new AnnualContract();
        contract.id = Ids.newId();
        contract.mspId = client.mspId;
        contract.clientId = client.id;
        contract.startDate = start;
        contract.endDate = end;
        contract.termYears = termYears;
        contract.blocks = blocks;
        contract.currency = prices.currency();
        contract.basePriceMinor = prices.basePrice();
        contract.setFeaturePrices(featurePrices);
        contract.multiYearDiscountBp = prices.multiYearBp(termYears);
        contract.sector = sector;
        contract.sectorDiscountBp = sectorBp;
        contract.renewalOf = renewalOf;
        contract.createdBy = caller.subject();
        contract.createdAt = now;
        contract.updatedAt = now;
        contract.persist();
        issue(contract, InvoiceKind.INITIAL, null, blocks, start,
                ContractPricing.termInvoice(terms(contract), contract.licensedUsers(), termYears));
        if (contract.inEffectOn(today)) {
            limits.apply(caller, client.id, contract.licensedUsers());
        }
        return view(contract);
    }

    private void issue(AnnualContract contract, InvoiceKind kind, Integer blocksBefore, int blocksAfter,
            LocalDate effective, List<InvoiceLine> lines) {
        ContractInvoice invoice = new ContractInvoice();
        invoice.id = Ids.newId();
        invoice.mspId = contract.mspId;
        invoice.clientId = contract.clientId;
        invoice.contractId = contract.id;
        invoice.kind = kind;
        invoice.issuedAt = clock.now();
        invoice.currency = contract.currency;
        invoice.totalMinor = ContractPricing.total(lines);
        invoice.blocksBefore = blocksBefore;
        invoice.blocksAfter = blocksAfter;
        invoice.effectiveDate = effective;
        invoice.coversUntil = contract.endDate;
        invoice.persist();
        try (Connection c = dataSource.getConnection()) {
            Charger.recordIssued(c, contract.mspId, invoice.id, Charger.SOURCE_CONTRACT, invoice.totalMinor,
                    invoice.currency, invoice.issuedAt);
            webhooks.publish(WebhookEvent.invoiceIssued(contract.mspId, invoice.id, Charger.SOURCE_CONTRACT,
                    invoice.totalMinor, invoice.currency, invoice.issuedAt, Map.of("clientId",
                            contract.clientId.toString(), "contractId", contract.id.toString(), "kind", kind.name())));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        for (InvoiceLine line : lines) {
            ContractInvoiceLine row = new ContractInvoiceLine();
            row.id = Ids.newId();
            row.mspId = contract.mspId;
            row.invoiceId = invoice.id;
            row.lineNo = line.lineNo();
            row.kind = line.kind();
            row.feature = line.feature();
            row.description = line.description();
            row.quantity = line.quantity();
            row.unitPriceMinor = line.unitPriceMinor();
            row.years = line.years();
            row.days = line.days();
            row.daysInYear = line.daysInYear();
            row.percentBp = line.percent() == null ? null : ContractPricing.basisPoints(line.percent());
            row.amountMinor = line.amountMinor();
            row.persist();
        }
    }

    private Contract view(AnnualContract c) {
        List<ContractInvoice> invoices = ContractInvoice.list("mspId = ?1 and contractId = ?2",
                Sort.by("issuedAt").and("id"), c.mspId, c.id);
        Map<UUID, List<InvoiceLine>> lines = new HashMap<>();
        if (!invoices.isEmpty()) {
            List<ContractInvoiceLine> rows = ContractInvoiceLine.list("mspId = ?1 and invoiceId in ?2",
                    Sort.by("lineNo"), c.mspId, invoices.stream().map(i -> i.id).toList());
            for (ContractInvoiceLine row : rows) {
                lines.computeIfAbsent(row.invoiceId, id -> new ArrayList<>()).add(new InvoiceLine(row.lineNo,
                        row.kind, row.feature, row.description, row.quantity,
                        row.unitPriceMinor == null ? null : ContractPricing.plain(row.unitPriceMinor), row.years,
                        row.days, row.daysInYear, row.percentBp == null ? null : ContractPricing.percent(row.percentBp),
                        row.amountMinor));
            }
        }
        Map<UUID, Payment> payments = payments(c.mspId, invoices.stream().map(i -> i.id).toList());
        List<Invoice> invoiceViews = invoices.stream().map(i -> new Invoice(i.id, i.contractId, i.kind, i.issuedAt,
                i.currency, i.blocksBefore, i.blocksAfter, i.effectiveDate, i.coversUntil,
                List.copyOf(lines.getOrDefault(i.id, List.of())), i.totalMinor, payments.get(i.id))).toList();
        LocalDate today = today();
        ContractStatus status = today.isBefore(c.startDate) ? ContractStatus.UPCOMING
                : today.isBefore(c.endDate) ? ContractStatus.ACTIVE : ContractStatus.ENDED;
        return new Contract(c.id, c.clientId, c.startDate, c.endDate, c.termYears, c.blocks, c.licensedUsers(),
                c.currency, c.basePriceMinor, c.featurePrices(), ContractPricing.percent(c.multiYearDiscountBp),
                c.sector, ContractPricing.percent(c.sectorDiscountBp), ContractPricing.netPerUserYear(terms(c)),
                status, c.renewalOf, c.createdBy, c.createdAt, invoiceViews);
    }

    /** The payment state of contract invoices (every contract invoice has one, see V4_5). */
    private Map<UUID, Payment> payments(UUID mspId, List<UUID> invoiceIds) {
        Map<UUID, Payment> payments = new HashMap<>();
        if (invoiceIds.isEmpty()) {
            return payments;
        }
        List<Object> params = new ArrayList<>();
        params.add(mspId);
        params.addAll(invoiceIds);
        try (Connection c = dataSource.getConnection()) {
            Sql.query(c, "SELECT invoice_id, status, attempts, last_attempt_at, last_failure, paid_at, reference"
                    + " FROM billing_payment WHERE msp_id = ? AND invoice_id IN ("
                    + invoiceIds.stream().map(id -> "?").collect(Collectors.joining(", ")) + ")",
                    rs -> payments.put(Sql.uuid(rs, "invoice_id"), new Payment(
                            PaymentStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                            Sql.instant(rs, "last_attempt_at"), rs.getString("last_failure"),
                            Sql.instant(rs, "paid_at"), rs.getString("reference"))), params.toArray());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return payments;
    }

    static Terms terms(AnnualContract c) {
        return new Terms(c.currency, c.basePriceMinor, c.featurePrices(), c.multiYearDiscountBp, c.sector,
                c.sectorDiscountBp);
    }

    private static AnnualContract find(ClientAccount client, UUID contractId) {
        AnnualContract contract = AnnualContract.find("mspId = ?1 and clientId = ?2 and id = ?3", client.mspId,
                client.id, contractId).firstResult();
        if (contract == null) {
            throw DomainException.notFound("Contract");
        }
        return contract;
    }

    private static void requireAnnual(ClientAccount client) {
        if (client.billingModel != BillingModel.ANNUAL) {
            throw new DomainException(ProblemType.CONTRACT_REQUIRES_ANNUAL, "Client account " + client.id
                    + " is billed " + client.billingModel + "; switch it to the ANNUAL billing model before "
                    + "making or changing a contract");
        }
    }

    private static int termYears(Integer years) {
        if (years == null || years < 1 || years > 3) {
            throw DomainException.invalidField("termYears", "must be 1, 2 or 3");
        }
        return years;
    }

    private static int blocks(Integer blocks) {
        if (blocks == null || blocks < 1 || blocks > MAX_BLOCKS) {
            throw DomainException.invalidField("blocks", "must be from 1 to " + MAX_BLOCKS + " (blocks of "
                    + AnnualContract.BLOCK_SIZE + " users)");
        }
        return blocks;
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.now(), ZoneOffset.UTC);
    }
}
