package io.vigil.store.embedded;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.store.StorageException;
import io.vigil.store.WeddingStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The embedded {@link WeddingStore}: the {@code weddings} and {@code wedding_events} tables of the metric store's
 * SQLite database (see {@link Schema}), written on its writer connection under its lock, one transaction per call,
 * and read on its reader connections, one snapshot per call. Every wedding field round-trips exactly; event times
 * are kept to the millisecond. Thread-safe.
 *
 * <p>Error messages name the operation, the wedding id and the file, never the coordinator's contact.
 */
final class EmbeddedWeddingStore implements WeddingStore {
    private static final String COLUMNS = "id, wedding_date, time_zone, ceremony_start, reception_end, guest_count,"
            + " venue, vendor_ids, status, source, coordinator_name, coordinator_email, coordinator_phone";
    private static final String EVENT_COLUMNS = "wedding_id, id, type, name, ref, at, count";
    /** Vendor ids never hold a comma (see {@link Wedding}), so joining by one round-trips exactly. */
    private static final String VENDOR_SEPARATOR = ",";

    private final EmbeddedMetricStore db;

    EmbeddedWeddingStore(EmbeddedMetricStore db) {
        this.db = db;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs in one SQLite transaction on the writer connection, in id order.
     *
     * @throws NullPointerException if the collection or one of its weddings is null; nothing is stored then
     */
    @Override
    public int upsert(Collection<Wedding> weddings) {
        Map<String, Wedding> byId = lastById(weddings);
        return db.withWriter("upsert of " + byId.size() + " weddings", w -> {
            PreparedStatement exists = w.prepare("SELECT 1 FROM weddings WHERE id = ?");
            PreparedStatement upsert = w.prepare("INSERT INTO weddings (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                    + " wedding_date = excluded.wedding_date, time_zone = excluded.time_zone,"
                    + " ceremony_start = excluded.ceremony_start, reception_end = excluded.reception_end,"
                    + " guest_count = excluded.guest_count, venue = excluded.venue, vendor_ids = excluded.vendor_ids,"
                    + " status = excluded.status, source = excluded.source,"
                    + " coordinator_name = excluded.coordinator_name, coordinator_email = excluded.coordinator_email,"
                    + " coordinator_phone = excluded.coordinator_phone");
            int added = 0;
            int pending = 0;
            for (Wedding wedding : byId.values()) {
                // One writer holds the lock, so nothing can insert the id between this check and the upsert.
                exists.setString(1, wedding.id());
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        added++;
                    }
                }
                bind(upsert, wedding);
                upsert.addBatch();
                if (++pending == EmbeddedMetricStore.BATCH) {
                    upsert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                upsert.executeBatch();
            }
            return added;
        });
    }

    /** The weddings by id in id order, the last of each id winning; checked before any transaction starts. */
    private static Map<String, Wedding> lastById(Collection<Wedding> weddings) {
        Objects.requireNonNull(weddings, "weddings");
        Map<String, Wedding> byId = new TreeMap<>();
        for (Wedding w : weddings) {
            Objects.requireNonNull(w, "a wedding in the collection is null");
            byId.put(w.id(), w);
        }
        return byId;
    }

    private static void bind(PreparedStatement ps, Wedding w) throws SQLException {
        Coordinator c = w.coordinator();
        ps.setString(1, w.id());
        ps.setLong(2, w.date().toEpochDay());
        ps.setString(3, w.timeZone().getId());
        ps.setString(4, w.ceremonyStart().toString());
        ps.setString(5, w.receptionEnd().toString());
        ps.setInt(6, w.guestCount());
        ps.setString(7, w.venue());
        ps.setString(8, String.join(VENDOR_SEPARATOR, w.vendorIds()));
        ps.setString(9, w.status().wireName());
        ps.setString(10, w.source());
        ps.setString(11, c == null ? null : c.name());
        ps.setString(12, c == null ? null : c.email());
        ps.setString(13, c == null ? null : c.phone());
    }

    @Override
    public Optional<Wedding> get(String id) {
        Objects.requireNonNull(id, "id");
        return db.withReader("reading wedding " + id, r -> {
            PreparedStatement ps = r.prepare("SELECT " + COLUMNS + " FROM weddings WHERE id = ?");
            ps.setString(1, id);
            List<Wedding> found = readWeddings(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    /** {@inheritDoc} Ceremony starts compare as local times, the form the wedding holds them in. */
    @Override
    public List<Wedding> between(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return db.withReader("reading weddings from " + from + " to " + to, r -> {
            // LocalDateTime.toString() orders like the times it prints within one date (seconds and fractions are
            // only omitted when zero), so the text column sorts correctly under the date.
            PreparedStatement ps = r.prepare("SELECT " + COLUMNS + " FROM weddings"
                    + " WHERE wedding_date >= ? AND wedding_date <= ? ORDER BY wedding_date, ceremony_start, id");
            ps.setLong(1, from.toEpochDay());
            ps.setLong(2, to.toEpochDay());
            return readWeddings(ps);
        });
    }

    @Override
    public List<Wedding> fromSource(String source) {
        Objects.requireNonNull(source, "source");
        return db.withReader("reading weddings by source", r -> {
            PreparedStatement ps = r.prepare("SELECT " + COLUMNS + " FROM weddings WHERE source = ? ORDER BY id");
            ps.setString(1, source);
            return readWeddings(ps);
        });
    }

    private List<Wedding> readWeddings(PreparedStatement ps) throws SQLException {
        List<Wedding> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(wedding(rs));
            }
        }
        return out;
    }

    private Wedding wedding(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        try {
            String vendors = rs.getString(8);
            return new Wedding(id, LocalDate.ofEpochDay(rs.getLong(2)), ZoneId.of(rs.getString(3)),
                    LocalDateTime.parse(rs.getString(4)), LocalDateTime.parse(rs.getString(5)), rs.getInt(6),
                    rs.getString(7), vendors.isEmpty() ? List.of() : List.of(vendors.split(VENDOR_SEPARATOR, -1)),
                    WeddingStatus.parse(rs.getString(9)), rs.getString(10),
                    coordinator(rs.getString(11), rs.getString(12), rs.getString(13)));
        } catch (RuntimeException e) {
            // Wedding and Coordinator never quote the coordinator's contact in their messages.
            throw new StorageException("embedded store " + db.file() + ": wedding " + id + " cannot be read: "
                    + e.getMessage(), e, false);
        }
    }

    private static Coordinator coordinator(String name, String email, String phone) {
        return name == null && email == null && phone == null ? null : new Coordinator(name, email, phone);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs in one SQLite transaction with {@code INSERT OR IGNORE}; of one {@code (weddingId, id)} named twice
     * in a call, the first is stored. {@code at} is kept to the millisecond.
     *
     * @throws NullPointerException if the collection or one of its events is null; nothing is stored then
     */
    @Override
    public int appendEvents(Collection<WeddingEvent> events) {
        Objects.requireNonNull(events, "events");
        for (WeddingEvent e : events) {
            Objects.requireNonNull(e, "an event in the collection is null");
        }
        return db.withWriter("append of " + events.size() + " wedding events", w -> {
            PreparedStatement ins = w.prepare("INSERT OR IGNORE INTO wedding_events (" + EVENT_COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)");
            int added = 0;
            int pending = 0;
            for (WeddingEvent e : events) {
                ins.setString(1, e.weddingId());
                ins.setString(2, e.id());
                ins.setString(3, e.type().wireName());
                ins.setString(4, e.name());
                ins.setString(5, e.ref());
                ins.setLong(6, e.at().toEpochMilli());
                ins.setInt(7, e.count());
                ins.addBatch();
                if (++pending == EmbeddedMetricStore.BATCH) {
                    added += inserted(ins.executeBatch());
                    pending = 0;
                }
            }
            if (pending > 0) {
                added += inserted(ins.executeBatch());
            }
            return added;
        });
    }

    /** Rows inserted by a batch of {@code INSERT OR IGNORE}: update count 1 for a new row, 0 for an ignored one. */
    private static int inserted(int[] counts) throws SQLException {
        int n = 0;
        for (int count : counts) {
            if (count < 0 || count > 1) {
                throw new SQLException("the driver returned update count " + count + " for INSERT OR IGNORE");
            }
            n += count;
        }
        return n;
    }

    @Override
    public List<WeddingEvent> events(String weddingId) {
        Objects.requireNonNull(weddingId, "weddingId");
        return db.withReader("reading the events of wedding " + weddingId, r -> {
            PreparedStatement ps = r.prepare("SELECT " + EVENT_COLUMNS + " FROM wedding_events"
                    + " WHERE wedding_id = ? ORDER BY at, id");
            ps.setString(1, weddingId);
            List<WeddingEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(event(rs));
                }
            }
            return out;
        });
    }

    private WeddingEvent event(ResultSet rs) throws SQLException {
        String weddingId = rs.getString(1);
        String id = rs.getString(2);
        try {
            return new WeddingEvent(weddingId, id, WeddingEventType.parse(rs.getString(3)), rs.getString(4),
                    rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)), rs.getInt(7));
        } catch (RuntimeException e) {
            throw new StorageException("embedded store " + db.file() + ": event " + id + " of wedding " + weddingId
                    + " cannot be read: " + e.getMessage(), e, false);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedWeddingStore{" + db.file() + "}";
    }
}
