package io.vigil.store.postgres;

import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.store.StorageException;
import io.vigil.store.WeddingStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The PostgreSQL {@link WeddingStore}: the {@code weddings} and {@code wedding_events} tables of migration
 * {@code V4__weddings.sql}, used through the metric store's pool and its transaction and error handling (messages
 * name the operation and the redacted URL, never the password nor the coordinator's contact).
 *
 * <p>Several nodes may upsert the same wedding at once: rows are written in id order by {@code INSERT ... ON
 * CONFLICT (id) DO UPDATE}, so concurrent calls wait for each other rather than fail, and a call that lost a
 * deadlock is run again. Local date-times are kept to the microsecond (PostgreSQL's {@code timestamp}), event times
 * to the millisecond, so that both backends order events alike. Thread-safe.
 */
final class PostgresWeddingStore implements WeddingStore {
    private static final String COLUMNS = "id, wedding_date, time_zone, ceremony_start, reception_end, guest_count,"
            + " venue, vendor_ids, status, source, coordinator_name, coordinator_email, coordinator_phone";
    private static final String EVENT_COLUMNS = "wedding_id, id, type, name, ref, at, count";
    /** Vendor ids never hold a comma (see {@link Wedding}): each row's list travels as one joined text. */
    private static final String VENDOR_SEPARATOR = ",";
    /** Rows per statement: each column travels as one array parameter. */
    static final int SLICE = PostgresMetricStore.BATCH;
    /** The widest dates PostgreSQL's {@code date} holds; wider query bounds are narrowed to them. */
    private static final LocalDate FIRST_DATE = LocalDate.of(-4712, 1, 1);
    private static final LocalDate LAST_DATE = LocalDate.of(5_874_897, 12, 31);

    private final PostgresMetricStore db;

    PostgresWeddingStore(PostgresMetricStore db) {
        this.db = db;
    }

    /**
     * {@inheritDoc}
     *
     * <p>One READ COMMITTED transaction, {@value #SLICE} weddings per statement, in id order. A wedding counts as new
     * when the upsert inserted its row rather than updated one, so two nodes upserting the same new id count it once
     * between them.
     *
     * @throws NullPointerException if the collection or one of its weddings is null; nothing is stored then
     */
    @Override
    public int upsert(Collection<Wedding> weddings) {
        List<Wedding> byId = lastById(weddings);
        if (byId.isEmpty()) {
            return 0;
        }
        // xmax is 0 only in a row version this statement inserted; an updated row carries the upserting
        // transaction's lock. This counts inserts exactly also when another node inserted the same id meanwhile.
        String sql = "INSERT INTO weddings (" + COLUMNS + ") SELECT id, wedding_date, time_zone, ceremony_start,"
                + " reception_end, guest_count, venue, string_to_array(vendor_ids, '" + VENDOR_SEPARATOR + "'),"
                + " status, source, coordinator_name, coordinator_email, coordinator_phone"
                + " FROM unnest(?::text[], ?::text[]::date[], ?::text[], ?::text[]::timestamp[],"
                + " ?::text[]::timestamp[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[]) AS t(id, wedding_date, time_zone, ceremony_start, reception_end, guest_count, venue,"
                + " vendor_ids, status, source, coordinator_name, coordinator_email, coordinator_phone)"
                + " ON CONFLICT (id) DO UPDATE SET wedding_date = excluded.wedding_date,"
                + " time_zone = excluded.time_zone, ceremony_start = excluded.ceremony_start,"
                + " reception_end = excluded.reception_end, guest_count = excluded.guest_count,"
                + " venue = excluded.venue, vendor_ids = excluded.vendor_ids, status = excluded.status,"
                + " source = excluded.source, coordinator_name = excluded.coordinator_name,"
                + " coordinator_email = excluded.coordinator_email, coordinator_phone = excluded.coordinator_phone"
                + " RETURNING xmax = 0";
        return db.inWriteRetrying("upsert of " + byId.size() + " weddings", c -> {
            int added = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int from = 0; from < byId.size(); from += SLICE) {
                    List<Wedding> slice = byId.subList(from, Math.min(byId.size(), from + SLICE));
                    List<Array> arrays = bindWeddings(c, ps, slice);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (rs.getBoolean(1)) {
                                added++;
                            }
                        }
                    } finally {
                        for (Array a : arrays) {
                            a.free();
                        }
                    }
                }
            }
            return added;
        });
    }

    /**
     * The weddings in id order, the last of each id winning: ON CONFLICT DO UPDATE refuses to touch a row twice in
     * one statement, and one order on every node keeps concurrent upserts from deadlocking.
     */
    private static List<Wedding> lastById(Collection<Wedding> weddings) {
        Objects.requireNonNull(weddings, "weddings");
        Map<String, Wedding> byId = new TreeMap<>();
        for (Wedding w : weddings) {
            Objects.requireNonNull(w, "a wedding in the collection is null");
            byId.put(w.id(), w);
        }
        return new ArrayList<>(byId.values());
    }

    /** Binds the slice column by column, one array parameter per column, in the order of {@link #COLUMNS}. */
    private static List<Array> bindWeddings(Connection c, PreparedStatement ps, List<Wedding> slice)
            throws SQLException {
        List<Array> arrays = List.of(
                text(c, slice, Wedding::id),
                text(c, slice, w -> w.date().toString()),
                text(c, slice, w -> w.timeZone().getId()),
                text(c, slice, w -> w.ceremonyStart().toString()),
                text(c, slice, w -> w.receptionEnd().toString()),
                c.createArrayOf("integer", slice.stream().map(Wedding::guestCount).toArray(Integer[]::new)),
                text(c, slice, Wedding::venue),
                text(c, slice, w -> String.join(VENDOR_SEPARATOR, w.vendorIds())),
                text(c, slice, w -> w.status().wireName()),
                text(c, slice, Wedding::source),
                text(c, slice, w -> w.coordinator() == null ? null : w.coordinator().name()),
                text(c, slice, w -> w.coordinator() == null ? null : w.coordinator().email()),
                text(c, slice, w -> w.coordinator() == null ? null : w.coordinator().phone()));
        for (int i = 0; i < arrays.size(); i++) {
            ps.setArray(i + 1, arrays.get(i));
        }
        return arrays;
    }

    private static <T> Array text(Connection c, List<T> rows, Function<T, String> column) throws SQLException {
        return c.createArrayOf("text", rows.stream().map(column).toArray(String[]::new));
    }

    @Override
    public Optional<Wedding> get(String id) {
        Objects.requireNonNull(id, "id");
        return db.inSnapshot("reading wedding " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM weddings WHERE id = ?")) {
                ps.setString(1, id);
                List<Wedding> found = readWeddings(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /** {@inheritDoc} Ceremony starts compare as local times, the form the wedding holds them in. */
    @Override
    public List<Wedding> between(LocalDate from, LocalDate to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        LocalDate lo = from.isBefore(FIRST_DATE) ? FIRST_DATE : from;
        LocalDate hi = to.isAfter(LAST_DATE) ? LAST_DATE : to;
        return db.inSnapshot("reading weddings from " + from + " to " + to, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM weddings"
                    + " WHERE wedding_date BETWEEN ? AND ? ORDER BY wedding_date, ceremony_start, id")) {
                ps.setObject(1, lo);
                ps.setObject(2, hi);
                ps.setFetchSize(PostgresMetricStore.FETCH_SIZE);
                return readWeddings(ps);
            }
        });
    }

    @Override
    public List<Wedding> fromSource(String source) {
        Objects.requireNonNull(source, "source");
        return db.inSnapshot("reading weddings by source", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM weddings WHERE source = ?"
                    + " ORDER BY id")) {
                ps.setString(1, source);
                ps.setFetchSize(PostgresMetricStore.FETCH_SIZE);
                return readWeddings(ps);
            }
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
            Array vendors = rs.getArray(8);
            List<String> vendorIds = List.of((String[]) vendors.getArray());
            vendors.free();
            return new Wedding(id, rs.getObject(2, LocalDate.class), ZoneId.of(rs.getString(3)),
                    rs.getObject(4, LocalDateTime.class), rs.getObject(5, LocalDateTime.class), rs.getInt(6),
                    rs.getString(7), vendorIds, WeddingStatus.parse(rs.getString(9)), rs.getString(10),
                    coordinator(rs.getString(11), rs.getString(12), rs.getString(13)));
        } catch (RuntimeException e) {
            // Wedding and Coordinator never quote the coordinator's contact in their messages.
            throw new StorageException(db.where() + ": wedding " + id + " cannot be read: " + e.getMessage(), e,
                    false);
        }
    }

    private static Coordinator coordinator(String name, String email, String phone) {
        return name == null && email == null && phone == null ? null : new Coordinator(name, email, phone);
    }

    /**
     * {@inheritDoc}
     *
     * <p>One transaction with {@code INSERT ... ON CONFLICT DO NOTHING}, in key order; of one
     * {@code (weddingId, id)} named twice in a call, the first is stored. {@code at} is kept to the millisecond.
     *
     * @throws NullPointerException if the collection or one of its events is null; nothing is stored then
     */
    @Override
    public int appendEvents(Collection<WeddingEvent> events) {
        Objects.requireNonNull(events, "events");
        Map<String, WeddingEvent> byKey = new TreeMap<>();
        for (WeddingEvent e : events) {
            Objects.requireNonNull(e, "an event in the collection is null");
            byKey.putIfAbsent(e.weddingId() + ' ' + e.id(), e); // ids hold no space
        }
        if (byKey.isEmpty()) {
            return 0;
        }
        List<WeddingEvent> sorted = new ArrayList<>(byKey.values());
        String sql = "INSERT INTO wedding_events (" + EVENT_COLUMNS + ") SELECT * FROM unnest(?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[], ?::int[])"
                + " ON CONFLICT (wedding_id, id) DO NOTHING";
        return db.inWriteRetrying("append of " + sorted.size() + " wedding events", c -> {
            int added = 0;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int from = 0; from < sorted.size(); from += SLICE) {
                    List<WeddingEvent> slice = sorted.subList(from, Math.min(sorted.size(), from + SLICE));
                    List<Array> arrays = bindEvents(c, ps, slice);
                    try {
                        added += ps.executeUpdate();
                    } finally {
                        for (Array a : arrays) {
                            a.free();
                        }
                    }
                }
            }
            return added;
        });
    }

    /** Binds the slice column by column, one array parameter per column, in the order of {@link #EVENT_COLUMNS}. */
    private static List<Array> bindEvents(Connection c, PreparedStatement ps, List<WeddingEvent> slice)
            throws SQLException {
        List<Array> arrays = List.of(
                text(c, slice, WeddingEvent::weddingId),
                text(c, slice, WeddingEvent::id),
                text(c, slice, e -> e.type().wireName()),
                text(c, slice, WeddingEvent::name),
                text(c, slice, WeddingEvent::ref),
                text(c, slice, e -> e.at().truncatedTo(ChronoUnit.MILLIS).toString()),
                c.createArrayOf("integer", slice.stream().map(WeddingEvent::count).toArray(Integer[]::new)));
        for (int i = 0; i < arrays.size(); i++) {
            ps.setArray(i + 1, arrays.get(i));
        }
        return arrays;
    }

    @Override
    public List<WeddingEvent> events(String weddingId) {
        Objects.requireNonNull(weddingId, "weddingId");
        return db.inSnapshot("reading the events of wedding " + weddingId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM wedding_events"
                    + " WHERE wedding_id = ? ORDER BY at, id")) {
                ps.setString(1, weddingId);
                ps.setFetchSize(PostgresMetricStore.FETCH_SIZE);
                List<WeddingEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(event(rs));
                    }
                }
                return out;
            }
        });
    }

    private WeddingEvent event(ResultSet rs) throws SQLException {
        String weddingId = rs.getString(1);
        String id = rs.getString(2);
        try {
            return new WeddingEvent(weddingId, id, WeddingEventType.parse(rs.getString(3)), rs.getString(4),
                    rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getInt(7));
        } catch (RuntimeException e) {
            throw new StorageException(db.where() + ": event " + id + " of wedding " + weddingId
                    + " cannot be read: " + e.getMessage(), e, false);
        }
    }

    @Override
    public String toString() {
        return "PostgresWeddingStore{" + db.where() + "}";
    }
}
