package io.usersync.events;

import io.usersync.common.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes outbox rows. Must be called inside the transaction that makes the change ({@code MANDATORY}): an
 * event without its change, or a change without its event, cannot happen.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = """
            INSERT INTO outbox (event_id, msp_id, kind, client_id, user_id, occurred_at, was_active, now_active,
                                client_status, billing_model, client_deleted, payment_method)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Inject
    DataSource dataSource;

    @Inject
    Event<OutboxWritten> written;

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(OutboxEvent event) {
        appendAll(List.of(event));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(Collection<OutboxEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (OutboxEvent e : events) {
                insert.setBytes(1, Jdbc.bytes(e.eventId()));
                insert.setBytes(2, Jdbc.bytes(e.mspId()));
                insert.setString(3, e.kind().name());
                insert.setBytes(4, Jdbc.bytes(e.clientId()));
                insert.setBytes(5, Jdbc.bytes(e.userId()));
                insert.setObject(6, Jdbc.timestamp(e.occurredAt()));
                Jdbc.setBoolean(insert, 7, e.wasActive());
                Jdbc.setBoolean(insert, 8, e.nowActive());
                insert.setString(9, e.clientStatus() == null ? null : e.clientStatus().name());
                insert.setString(10, e.billingModel() == null ? null : e.billingModel().name());
                Jdbc.setBoolean(insert, 11, e.clientDeleted());
                Jdbc.setBoolean(insert, 12, e.paymentMethod());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write outbox events", e);
        }
        written.fire(new OutboxWritten(events.size()));
    }
}
