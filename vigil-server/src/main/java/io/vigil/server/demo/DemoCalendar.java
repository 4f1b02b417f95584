package io.vigil.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's wedding calendar, relative to the moment the demo starts: weddings under way and about to start in
 * London, New York and Kolkata, 40 weddings on the coming Saturday across those zones, and a season of weddings
 * (busy Fridays and Saturdays from May to October). It is loaded through the real CSV import endpoint; then, for
 * the weddings under way, critical-path events (milestones, guest check-ins, vendor requests, an emergency) and
 * per-wedding metrics are sent as they "happen".
 */
public final class DemoCalendar {
    static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/London"), ZoneId.of("America/New_York"),
            ZoneId.of("Asia/Kolkata"));
    /** Venues in each demo time zone, so that a London wedding is not at a New York venue. */
    static final Map<ZoneId, List<String>> VENUES = Map.of(
            ZoneId.of("Europe/London"), List.of("Kew Gardens Orangery", "Hampton Court Palace", "Leeds Castle"),
            ZoneId.of("America/New_York"), List.of("The Loeb Boathouse", "Brooklyn Botanic Garden"),
            ZoneId.of("Asia/Kolkata"), List.of("Taj Falaknuma Palace", "Umaid Bhawan Palace"));
    /** Milestones of a wedding day, with their planned offset from the ceremony start. */
    static final List<Map.Entry<String, Duration>> MILESTONES = List.of(
            Map.entry("ceremony", Duration.ZERO), Map.entry("vows", Duration.ofMinutes(25)),
            Map.entry("photos", Duration.ofMinutes(60)), Map.entry("dinner", Duration.ofMinutes(150)),
            Map.entry("speeches", Duration.ofMinutes(210)), Map.entry("first-dance", Duration.ofMinutes(270)),
            Map.entry("cake", Duration.ofMinutes(300)));

    /** One generated wedding. */
    record DemoWedding(String id, ZoneId zone, LocalDateTime ceremony, LocalDateTime receptionEnd, int guests,
                       String venue, List<String> vendors) {
        Instant ceremonyInstant() {
            return ceremony.atZone(zone).toInstant();
        }

        boolean activeAt(Instant t) {
            return !t.isBefore(ceremonyInstant().minus(Duration.ofHours(2)))
                    && t.isBefore(receptionEnd.atZone(zone).toInstant());
        }
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final URI base;
    private final String key;
    private final List<DemoWedding> weddings;

    public DemoCalendar(URI base, String key, Instant start, long seed) {
        this.base = base;
        this.key = key;
        this.weddings = generate(start, new SplittableRandom(seed));
    }

    static List<DemoWedding> generate(Instant start, SplittableRandom random) {
        List<DemoWedding> out = new ArrayList<>();
        // Under way (ceremony an hour ago) and starting soon (in three hours), in each zone.
        for (ZoneId zone : ZONES) {
            LocalDateTime hour = start.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.HOURS);
            out.add(wedding("now-" + code(zone), zone, hour.minusHours(1), random));
            out.add(wedding("soon-" + code(zone), zone, hour.plusHours(3), random));
        }
        // The coming Saturday: 40 weddings across the three zones.
        LocalDate saturday = start.atZone(ZONES.get(0)).toLocalDate().with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
        for (int i = 0; i < 40; i++) {
            ZoneId zone = ZONES.get(i % 3);
            out.add(wedding("sat-" + saturday + "-" + code(zone) + "-" + (i / 3 + 1), zone,
                    saturday.atTime(11 + random.nextInt(7), random.nextBoolean() ? 0 : 30), random));
        }
        // The season ahead: busy Fridays and Saturdays from May to October, a few weddings on other days.
        LocalDate from = saturday.plusDays(1);
        for (LocalDate d = from; d.isBefore(from.plusDays(240)); d = d.plusDays(1)) {
            boolean season = d.getMonth().compareTo(Month.MAY) >= 0 && d.getMonth().compareTo(Month.OCTOBER) <= 0;
            int n = switch (d.getDayOfWeek()) {
                case SATURDAY -> season ? 12 : 3;
                case FRIDAY -> season ? 6 : 1;
                case SUNDAY -> season ? 3 : 0;
                default -> season && random.nextInt(3) == 0 ? 1 : 0;
            };
            for (int i = 0; i < n; i++) {
                ZoneId zone = ZONES.get(random.nextInt(3));
                out.add(wedding("w-" + d + "-" + code(zone) + "-" + (i + 1), zone,
                        d.atTime(11 + random.nextInt(7), 0), random));
            }
        }
        return out;
    }

    private static DemoWedding wedding(String id, ZoneId zone, LocalDateTime ceremony, SplittableRandom random) {
        List<String> vendors = new ArrayList<>();
        for (String kind : new String[] {"florist", "caterer", "band", "photographer"}) {
            vendors.add(kind + "-" + (1 + random.nextInt(30)));
        }
        return new DemoWedding(id, zone, ceremony, ceremony.plusHours(8 + random.nextInt(3)).plusMinutes(30),
                50 + random.nextInt(451), venue(zone, random), vendors);
    }

    private static String venue(ZoneId zone, SplittableRandom random) {
        List<String> venues = VENUES.get(zone);
        return venues.get(random.nextInt(venues.size()));
    }

    private static String code(ZoneId zone) {
        return switch (zone.getId()) {
            case "Europe/London" -> "ldn";
            case "America/New_York" -> "nyc";
            default -> "del";
        };
    }

    /** The calendar as CSV in the import format (docs/calendar.md). */
    String csv() {
        StringBuilder out = new StringBuilder("id,time_zone,ceremony_start,reception_end,guest_count,venue,vendor_ids,"
                + "coordinator_name,coordinator_email,coordinator_phone\n");
        for (int i = 0; i < weddings.size(); i++) {
            DemoWedding w = weddings.get(i);
            out.append(w.id()).append(',').append(w.zone().getId()).append(',').append(w.ceremony()).append(',')
                    .append(w.receptionEnd()).append(',').append(w.guests()).append(",\"").append(w.venue())
                    .append("\",").append(String.join(";", w.vendors())).append(',').append(coordinatorContact(i))
                    .append('\n');
        }
        return out.toString();
    }

    List<DemoWedding> weddings() {
        return weddings;
    }

    /**
     * A fictional coordinator for the demo's {@code i}-th wedding, so that the emergency chain has someone to reach:
     * a name, an address at the reserved example.com domain, and a number in Ofcom's range for drama (+44 7700 900xxx).
     */
    static String coordinatorContact(int i) {
        return "Demo Coordinator " + (i + 1) + ",coordinator" + (i + 1) + "@example.com,+44 7700 900"
                + String.format(java.util.Locale.ROOT, "%03d", i % 1000);
    }

    /** Loads the calendar through {@code POST /api/v1/weddings/import}; returns the weddings applied. */
    public int load() throws IOException, InterruptedException {
        HttpResponse<String> r = post("/api/v1/weddings/import", "text/csv", csv());
        if (r.statusCode() != 200) {
            throw new IOException("calendar import answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("applied").asInt();
    }

    /** Ids of the weddings under way at {@code t}. */
    public List<String> activeAt(Instant t) {
        return weddings.stream().filter(w -> w.activeAt(t)).map(DemoWedding::id).toList();
    }

    /**
     * Sends, for every wedding under way at {@code t}, the critical-path events that have happened by then (event ids
     * are deterministic, so events sent before count once) and returns how many were new.
     */
    public int sendEvents(Instant t) throws IOException, InterruptedException {
        int added = 0;
        for (DemoWedding w : weddings) {
            if (!w.activeAt(t)) {
                continue;
            }
            List<Map<String, Object>> events = events(w, t);
            if (events.isEmpty()) {
                continue;
            }
            HttpResponse<String> r = post("/api/v1/weddings/" + w.id() + "/events", "application/json",
                    json.writeValueAsString(Map.of("events", events)));
            if (r.statusCode() != 200) {
                throw new IOException("events answered " + r.statusCode() + ": " + r.body());
            }
            added += json.readTree(r.body()).path("accepted").asInt();
        }
        return added;
    }

    /** The events of a wedding that have happened by {@code t}; the same wedding always gives the same events. */
    static List<Map<String, Object>> events(DemoWedding w, Instant t) {
        SplittableRandom random = new SplittableRandom(w.id().hashCode());
        Instant ceremony = w.ceremonyInstant();
        List<Map<String, Object>> out = new ArrayList<>();
        for (var m : MILESTONES) {
            Instant planned = ceremony.plus(m.getValue());
            add(out, t, "plan-" + m.getKey(), "milestone_planned", m.getKey(), null, ceremony.minus(Duration.ofHours(2)), 1,
                    planned);
            // Most milestones a few minutes late; speeches drag on.
            long lateMinutes = random.nextInt(8) + (m.getKey().equals("speeches") ? 20 : 0);
            add(out, t, "reach-" + m.getKey(), "milestone_reached", m.getKey(), null,
                    planned.plus(Duration.ofMinutes(lateMinutes)), 1, null);
        }
        // Guests arrive from 90 to 10 minutes before the ceremony, most in the last half hour.
        Instant arrivalsFrom = ceremony.minus(Duration.ofMinutes(90));
        int left = w.guests();
        for (int minute = 0; minute < 80 && left > 0; minute++) {
            double weight = minute < 50 ? 0.6 : 3.0;
            int n = Math.min(left, (int) Math.round(weight * w.guests() / 120.0 * (0.5 + random.nextDouble())));
            if (n > 0) {
                add(out, t, "checkin-" + minute, "guest_checkin", null, null,
                        arrivalsFrom.plus(Duration.ofMinutes(minute)), n, null);
                left -= n;
            }
        }
        for (int i = 0; i < w.vendors().size(); i++) {
            String vendor = w.vendors().get(i);
            Instant asked = ceremony.plus(Duration.ofMinutes(30L + 40L * i));
            add(out, t, "req-" + i, "vendor_request", vendor, "req-" + i, asked, 1, null);
            add(out, t, "ack-" + i, "vendor_ack", null, "req-" + i,
                    asked.plus(Duration.ofMinutes(2 + random.nextInt(i == 2 ? 40 : 12))), 1, null);
        }
        if (random.nextInt(3) == 0) {
            Instant raised = ceremony.plus(Duration.ofMinutes(95));
            add(out, t, "emergency-1", "emergency_raised", "power", "emergency-1", raised, 1, null);
            add(out, t, "response-1", "emergency_response", null, "emergency-1",
                    raised.plus(Duration.ofSeconds(40 + random.nextInt(400))), 1, null);
        }
        return out;
    }

    /** Adds an event if it has happened by {@code t}; {@code plannedFor} is the planned time of a milestone_planned. */
    private static void add(List<Map<String, Object>> out, Instant t, String id, String type, String name, String ref,
                            Instant at, int count, Instant plannedFor) {
        if (at.isAfter(t)) {
            return;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", id);
        e.put("type", type);
        if (name != null) {
            e.put("name", name);
        }
        if (ref != null) {
            e.put("ref", ref);
        }
        e.put("at", (plannedFor != null ? plannedFor : at).toString());
        if (type.equals("guest_checkin")) {
            e.put("count", count);
        }
        out.add(e);
    }

    /**
     * Per-wedding metrics of the weddings under way (the wedding operation families of docs/calendar.md): photo
     * upload and guest list latencies from mobile and web, and guest check-ins.
     */
    public long sendMetrics(Instant t, double seconds, SplittableRandom random) throws IOException, InterruptedException {
        Map<String, Object> batch = metrics(t, seconds, random);
        if (batch == null) {
            return 0;
        }
        HttpResponse<String> r = post("/api/v1/metrics", "application/json", json.writeValueAsString(batch));
        if (r.statusCode() != 200) {
            throw new IOException("ingest answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body()).path("accepted").asLong();
    }

    /** The JSON batch {@link #sendMetrics} sends for the interval ending at {@code t}; null when no wedding is under way. */
    Map<String, Object> metrics(Instant t, double seconds, SplittableRandom random) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (DemoWedding w : weddings) {
            if (!w.activeAt(t)) {
                continue;
            }
            for (String client : List.of("mobile", "web")) {
                metrics.add(latency("wedding_photo_upload_seconds", w.id(), client, t, random,
                        (int) Math.max(1, seconds * w.guests() / 100.0), client.equals("mobile") ? 1.8 : 0.9));
                metrics.add(latency("wedding_guest_list_access_seconds", w.id(), client, t, random,
                        (int) Math.max(1, seconds * w.guests() / 60.0), 0.12));
            }
        }
        return metrics.isEmpty() ? null : Map.of("metrics", metrics);
    }

    private static Map<String, Object> latency(String name, String wedding, String client, Instant t,
                                               SplittableRandom random, int n, double median) {
        List<Double> obs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            obs.add(Math.round(median * Math.exp(0.45 * g) * 1e4) / 1e4);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", "latency");
        m.put("labels", Map.of("wedding_id", wedding, "client", client, "status", "200"));
        m.put("t", t.toEpochMilli());
        m.put("observations", obs);
        return m;
    }

    private HttpResponse<String> post(String path, String type, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
