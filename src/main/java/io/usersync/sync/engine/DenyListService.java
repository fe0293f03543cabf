package io.usersync.sync.engine;

import io.usersync.common.Ids;
import io.usersync.common.csv.Csv;
import io.usersync.common.error.DomainException;
import io.usersync.common.time.AppClock;
import io.usersync.directory.EmailAddress;
import io.usersync.tenant.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The deny list of a connection: addresses and whole domains kept out of the pool. Matching is
 * case-insensitive and covers aliases. Callers re-evaluate the pool right after a change (see
 * {@link SyncRuns#queueDenyListRun}) so it takes effect without waiting for the next provider fetch.
 */
@ApplicationScoped
@Transactional
public class DenyListService {

    static final int MAX_ENTRIES = 50_000;

    @Inject
    ConnectionService connections;

    @Inject
    AppClock clock;

    /** Result of adding or importing entries. */
    public record ImportReport(int added, int alreadyPresent, int duplicates, int removed, List<InvalidLine> invalid) {
    }

    /** A refused CSV line (1-based, counting the header if any) or list item (0-based index). */
    public record InvalidLine(int line, String value, String reason) {
    }

    /** A parsed entry. */
    record Parsed(DenyEntry.Kind kind, String key) {
    }

    public List<DenyEntry> list(Caller caller, UUID clientId, UUID connectionId) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        return DenyEntry.list("mspId = ?1 and connectionId = ?2 order by kind, valueKey", connection.mspId,
                connection.id);
    }

    /** Adds entries given as a JSON list; any invalid entry refuses the whole request, naming it. */
    public ImportReport add(Caller caller, UUID clientId, UUID connectionId, List<String> values) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        List<Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String why = whyInvalid(value);
            if (why != null) {
                throw DomainException.invalidField("entries[" + i + "]", why);
            }
            parsed.add(parse(value));
        }
        return store(caller, connection, parsed, false, List.of(), 0);
    }

    public void remove(Caller caller, UUID clientId, UUID connectionId, UUID entryId) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        long deleted = DenyEntry.delete("id = ?1 and mspId = ?2 and connectionId = ?3", entryId, connection.mspId,
                connection.id);
        if (deleted == 0) {
            throw DomainException.notFound("Deny-list entry");
        }
    }

    /**
     * Imports a CSV ({@link Csv} dialect; first column; optional header {@code email} or {@code entry}); tolerates
     * a BOM, CRLF, blank lines, quotes, semicolons and duplicates, and reports invalid lines instead of failing.
     * With {@code replace} the list becomes exactly the valid entries of the file.
     */
    public ImportReport importCsv(Caller caller, UUID clientId, UUID connectionId, String csv, boolean replace) {
        DirectoryConnection connection = connections.find(caller, clientId, connectionId);
        List<Csv.Line> lines = Csv.read(csv, "csv");
        List<Parsed> parsed = new ArrayList<>();
        List<InvalidLine> invalid = new ArrayList<>();
        Set<Parsed> inFile = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < lines.size(); i++) {
            String value = lines.get(i).first().strip();
            if (value.isEmpty() || (i == 0 && isHeader(value))) {
                continue;
            }
            String why = whyInvalid(value);
            if (why != null) {
                invalid.add(new InvalidLine(lines.get(i).number(),
                        value.length() > 200 ? value.substring(0, 200) + "…" : value, why));
                continue;
            }
            Parsed entry = parse(value);
            if (!inFile.add(entry)) {
                duplicates++;
                continue;
            }
            parsed.add(entry);
        }
        return store(caller, connection, parsed, replace, invalid, duplicates);
    }

    public String exportCsv(Caller caller, UUID clientId, UUID connectionId) {
        Csv.Table csv = Csv.table("entry");
        for (DenyEntry entry : list(caller, clientId, connectionId)) {
            csv.row(entry.display());
        }
        return csv.toString();
    }

    public DenyMatcher matcher(DirectoryConnection connection) {
        return new DenyMatcher(DenyEntry.list("mspId = ?1 and connectionId = ?2", connection.mspId, connection.id));
    }

    private ImportReport store(Caller caller, DirectoryConnection connection, List<Parsed> entries, boolean replace,
            List<InvalidLine> invalid, int duplicates) {
        Map<Parsed, DenyEntry> existing = new LinkedHashMap<>();
        for (DenyEntry e : DenyEntry.<DenyEntry>list("mspId = ?1 and connectionId = ?2", connection.mspId,
                connection.id)) {
            existing.put(new Parsed(e.kind, e.valueKey), e);
        }
        int removed = 0;
        if (replace) {
            Set<Parsed> wanted = new HashSet<>(entries);
            for (Map.Entry<Parsed, DenyEntry> e : existing.entrySet()) {
                if (!wanted.contains(e.getKey())) {
                    e.getValue().delete();
                    removed++;
                }
            }
        }
        Instant now = clock.now();
        int added = 0;
        int present = 0;
        Set<Parsed> seen = new HashSet<>();
        for (Parsed entry : entries) {
            if (!seen.add(entry)) {
                continue;
            }
            if (existing.containsKey(entry)) {
                present++;
                continue;
            }
            DenyEntry row = new DenyEntry();
            row.id = Ids.newId();
            row.mspId = connection.mspId;
            row.connectionId = connection.id;
            row.kind = entry.kind();
            row.valueKey = entry.key();
            row.createdBy = caller.subject();
            row.createdAt = now;
            row.persist();
            added++;
        }
        long total = DenyEntry.count("mspId = ?1 and connectionId = ?2", connection.mspId, connection.id);
        if (total > MAX_ENTRIES) {
            throw DomainException.invalidField("entries", "a deny list holds at most " + MAX_ENTRIES + " entries");
        }
        return new ImportReport(added, present, duplicates, removed, invalid);
    }

    static String whyInvalid(String raw) {
        if (raw == null || raw.isBlank()) {
            return "must not be blank";
        }
        String value = raw.strip();
        if (value.startsWith("*@")) {
            String domain = value.substring(2);
            return EmailAddress.parse("x@" + domain).isPresent() ? null : "must be *@ followed by a valid domain";
        }
        return EmailAddress.parse(value).isPresent() ? null : "must be an email address or *@domain";
    }

    static Parsed parse(String raw) {
        String value = raw.strip();
        if (value.startsWith("*@")) {
            String key = EmailAddress.parse("x@" + value.substring(2)).orElseThrow().domainKey();
            return new Parsed(DenyEntry.Kind.DOMAIN, key);
        }
        return new Parsed(DenyEntry.Kind.EMAIL, EmailAddress.parse(value).orElseThrow().key());
    }

    private static boolean isHeader(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.equals("email") || lower.equals("entry") || lower.equals("address");
    }
}
