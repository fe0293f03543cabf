package io.usersync.billing.internal.contracts;

import io.usersync.billing.api.Contracts;
import io.usersync.tenant.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/** The implementation of {@link Contracts}: delegates to the module's internal services. */
@ApplicationScoped
public class ContractsFacade implements Contracts {

    @Inject
    ContractService contracts;

    @Inject
    PriceListService priceLists;

    @Inject
    ContractLimits limits;

    @Inject
    BillingModelFollower models;

    @Override
    public PriceList priceList(Caller caller, UUID mspId) {
        return priceLists.get(caller, mspId);
    }

    @Override
    public PriceList updatePriceList(Caller caller, UUID mspId, PriceListUpdate update) {
        return priceLists.update(caller, mspId, update);
    }

    @Override
    public Contract create(Caller caller, UUID clientId, NewContract request) {
        return contracts.create(caller, clientId, request);
    }

    @Override
    public List<Contract> list(Caller caller, UUID clientId) {
        return contracts.list(caller, clientId);
    }

    @Override
    public Contract get(Caller caller, UUID clientId, UUID contractId) {
        return contracts.get(caller, clientId, contractId);
    }

    @Override
    public Contract upgrade(Caller caller, UUID clientId, UUID contractId, Integer blocks) {
        return contracts.upgrade(caller, clientId, contractId, blocks);
    }

    @Override
    public Contract renew(Caller caller, UUID clientId, UUID contractId, Renewal renewal) {
        return contracts.renew(caller, clientId, contractId, renewal);
    }

    @Override
    public int applyContractLimits() {
        return limits.applyAll();
    }

    @Override
    public int applyBillingModels() {
        return models.followAll();
    }
}
