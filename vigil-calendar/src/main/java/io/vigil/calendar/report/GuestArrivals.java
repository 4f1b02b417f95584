package io.vigil.calendar.report;

import io.vigil.core.wedding.WeddingEvent;
import io.vigil.core.wedding.WeddingEventType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest arrival curve: check-ins per 15-minute bucket of the wedding's local clock from the first check-in to
 * the last (empty buckets included), and when 50 % and 90 % of the expected guests had arrived. Counts only, never
 * names. Buckets follow the instant timeline, so on the night the clocks go back the repeated hour has buckets of
 * its own.
 *
 * @param expected the wedding's guest count
 * @param arrived guests checked in so far
 * @param arrivedShare {@code arrived / expected}; null when no guests are expected
 * @param first the first check-in; null when none
 * @param last the last check-in; null when none
 * @param buckets the curve
 * @param peak the bucket with the most check-ins (the earliest of equals); null when none
 * @param fiftyPercent when half the expected guests had arrived; null when not (yet) or none are expected
 * @param ninetyPercent when 90 % had arrived; null likewise
 * @param arrivedByCeremonyStart guests checked in at or before the ceremony start; null while it is still ahead
 */
public record GuestArrivals(int expected, long arrived, Double arrivedShare, Instant first, Instant last,
                            List<ArrivalBucket> buckets, ArrivalBucket peak, ArrivalMark fiftyPercent,
                            ArrivalMark ninetyPercent, Long arrivedByCeremonyStart) {
    /** The width of a bucket. */
    public static final Duration BUCKET = Duration.ofMinutes(15);
    private static final long BUCKET_SECONDS = BUCKET.toSeconds();

    public GuestArrivals {
        buckets = List.copyOf(buckets);
    }

    /** The curve of the {@code guest_checkin} events among {@code events}. */
    public static GuestArrivals of(List<WeddingEvent> events, int expected, Instant ceremonyStart, ZoneId zone,
                                   Instant now) {
        List<WeddingEvent> in = new ArrayList<>();
        for (WeddingEvent e : events) {
            if (e.type() == WeddingEventType.GUEST_CHECKIN) {
                in.add(e);
            }
        }
        in.sort(Comparator.comparing(WeddingEvent::at));
        Long byCeremony = now.isBefore(ceremonyStart) ? null : 0L;
        if (in.isEmpty()) {
            return new GuestArrivals(expected, 0, share(0, expected), null, null, List.of(), null, null, null,
                    byCeremony);
        }
        long firstStart = quarterHourStart(in.get(0).at(), zone);
        Instant last = in.get(in.size() - 1).at();
        long[] counts = new long[(int) ((last.getEpochSecond() - firstStart) / BUCKET_SECONDS) + 1];
        long arrived = 0;
        ArrivalMark fifty = null;
        ArrivalMark ninety = null;
        for (WeddingEvent e : in) {
            counts[(int) ((e.at().getEpochSecond() - firstStart) / BUCKET_SECONDS)] += e.count();
            arrived += e.count();
            if (byCeremony != null && !e.at().isAfter(ceremonyStart)) {
                byCeremony += e.count();
            }
            if (fifty == null && reached(arrived, expected, 50)) {
                fifty = new ArrivalMark(50, e.at(), Duration.between(ceremonyStart, e.at()));
            }
            if (ninety == null && reached(arrived, expected, 90)) {
                ninety = new ArrivalMark(90, e.at(), Duration.between(ceremonyStart, e.at()));
            }
        }
        List<ArrivalBucket> buckets = new ArrayList<>(counts.length);
        ArrivalBucket peak = null;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            ArrivalBucket b = new ArrivalBucket(Instant.ofEpochSecond(firstStart + i * BUCKET_SECONDS), counts[i],
                    cumulative, share(cumulative, expected));
            buckets.add(b);
            if (peak == null || b.count() > peak.count()) {
                peak = b;
            }
        }
        return new GuestArrivals(expected, arrived, share(arrived, expected), in.get(0).at(), last, buckets, peak,
                fifty, ninety, byCeremony);
    }

    /** The start of the local quarter hour holding {@code at} (local 14:37 lies in 14:30-14:45). */
    static long quarterHourStart(Instant at, ZoneId zone) {
        long local = at.getEpochSecond() + zone.getRules().getOffset(at).getTotalSeconds();
        return at.getEpochSecond() - Math.floorMod(local, BUCKET_SECONDS);
    }

    private static boolean reached(long arrived, int expected, int percent) {
        return expected > 0 && arrived * 100 >= (long) percent * expected;
    }

    private static Double share(long part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
