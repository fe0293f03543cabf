package io.usersync.billing.internal;

import io.usersync.billing.internal.period.Periods;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Reads and writes {@code billing_account}. */
public final class AccountStore {

    private static final String COLUMNS = "msp_id, created_at, anchor_date, payment_method_on_file,"
            + " payment_method_at, payment_method_seq, next_period_index, next_close_at, ledger_version";

    private AccountStore() {
    }

    public static Account find(Connection c, UUID mspId) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM billing_account WHERE msp_id = ?", AccountStore::map, mspId);
    }

    /**
     * The account billing will create for an MSP whose MSP_CREATED event is still in the outbox (the consumer has
     * not applied it yet), as it will be: period 0 from its creation date, nothing billed yet. Null when there is
     * no such event. Version -1, so a live usage computed from it is never mistaken for the stored account's.
     */
    public static Account pending(Connection c, UUID mspId) {
        return Sql.one(c, "SELECT seq, occurred_at, payment_method FROM outbox WHERE msp_id = ? AND kind = 'MSP_CREATED'"
                + " ORDER BY seq LIMIT 1", rs -> {
                    Instant createdAt = Sql.instant(rs, "occurred_at");
                    Periods periods = Periods.ofCreation(createdAt);
                    return new Account(mspId, createdAt, periods.anchor(), rs.getBoolean("payment_method"), createdAt,
                            rs.getLong("seq"), 0, periods.end(0), -1);
                }, mspId);
    }

    /** Locks the account row until the transaction ends (closing and charging serialise on it). */
    public static Account lock(Connection c, UUID mspId) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM billing_account WHERE msp_id = ? FOR UPDATE",
                AccountStore::map, mspId);
    }

    /** Creates the account of a new MSP; its first period is period 0, starting on its creation date. */
    public static Account create(Connection c, UUID mspId, Instant createdAt, boolean paymentMethod, long seq) {
        Periods periods = Periods.ofCreation(createdAt);
        Account account = new Account(mspId, createdAt, periods.anchor(), paymentMethod, createdAt, seq, 0,
                periods.end(0), 0);
        Sql.update(c, "INSERT INTO billing_account (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                account.mspId(), account.createdAt(), account.anchorDate(), account.paymentMethodOnFile(),
                account.paymentMethodAt(), account.paymentMethodSeq(), account.nextPeriodIndex(),
                account.nextCloseAt(), account.version());
        return account;
    }

    public static void setPaymentMethod(Connection c, UUID mspId, boolean onFile, Instant at, long seq) {
        Sql.update(c, "UPDATE billing_account SET payment_method_on_file = ?, payment_method_at = ?,"
                + " payment_method_seq = ?, ledger_version = ledger_version + 1 WHERE msp_id = ?", onFile, at, seq,
                mspId);
    }

    /** Records that the invoice of {@code index} is issued: the next period to close is {@code index + 1}. */
    public static void advance(Connection c, Account account, int index) {
        Sql.update(c, "UPDATE billing_account SET next_period_index = ?, next_close_at = ?,"
                + " ledger_version = ledger_version + 1 WHERE msp_id = ?", index + 1, account.periods().end(index + 1),
                account.mspId());
    }

    /** Marks a change the live usage shows, in the transaction making it. */
    public static void touch(Connection c, UUID mspId) {
        Sql.update(c, "UPDATE billing_account SET ledger_version = ledger_version + 1 WHERE msp_id = ?", mspId);
    }

    private static Account map(ResultSet rs) throws SQLException {
        return new Account(Sql.uuid(rs, "msp_id"), Sql.instant(rs, "created_at"),
                rs.getObject("anchor_date", LocalDate.class), rs.getBoolean("payment_method_on_file"),
                Sql.instant(rs, "payment_method_at"), rs.getLong("payment_method_seq"),
                rs.getInt("next_period_index"), Sql.instant(rs, "next_close_at"), rs.getLong("ledger_version"));
    }
}
