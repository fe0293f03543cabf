package io.usersync.billing.api;

/** Optional products an annual contract can include, each priced per user and contract year. */
public enum ContractFeature {
    ULEARN, UPHISH, UBREACH, UPOLICY
}
