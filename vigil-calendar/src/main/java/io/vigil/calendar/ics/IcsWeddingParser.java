package io.vigil.calendar.ics;

import io.vigil.core.wedding.Wedding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.fortuna.ical4j.data.CalendarParserImpl;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.data.UnfoldingReader;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryImpl;
import net.fortuna.ical4j.model.ZoneRulesProviderImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the weddings of an iCalendar feed: each VEVENT is one wedding, identified by its UID. A bad event becomes an
 * {@link IcsProblem} and the others are still read; a document that cannot be read at all throws
 * {@link IcsFormatException}. Only the properties listed in {@code package-info} are read; names, e-mail addresses
 * and every other property are dropped unread. Thread-safe.
 */
public final class IcsWeddingParser {
    /** The expected number of guests, a whole number; 0 when absent. */
    public static final String GUEST_COUNT_PROPERTY = WeddingContentHandler.GUEST_COUNT;
    /** The booked vendors' ids, separated by commas. */
    public static final String VENDORS_PROPERTY = WeddingContentHandler.VENDORS;

    private static final Logger LOG = LoggerFactory.getLogger(IcsWeddingParser.class);
    /** Events kept whole until the end of the document, waiting for a VTIMEZONE defined after them. */
    static final int MAX_WAITING = 1_000;

    private final IcsLimits limits;

    /** A parser with {@link IcsLimits#DEFAULTS}. */
    public IcsWeddingParser() {
        this(IcsLimits.DEFAULTS);
    }

    public IcsWeddingParser(IcsLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Parses one iCalendar document (UTF-8).
     *
     * @param source stamped on every wedding, such as {@code ics:venue-feed}
     * @throws IcsFormatException when the document as a whole cannot be read or exceeds the limits
     */
    public IcsParseResult parse(byte[] document, String source) {
        Objects.requireNonNull(document, "document");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source is missing");
        }
        if (document.length > limits.maxBytes()) {
            throw new IcsFormatException("the document is " + document.length + " bytes, more than the limit of "
                    + limits.maxBytes());
        }
        int offset = hasByteOrderMark(document) ? 3 : 0;
        if (isBlank(document, offset)) {
            throw new IcsFormatException("the document is empty: an iCalendar feed starts with BEGIN:VCALENDAR");
        }
        TimeZoneRegistry registry = new TimeZoneRegistryImpl();
        try {
            Map<String, String> locations = new HashMap<>();
            EventConverter converter = new EventConverter(source, new TimeZoneNames(locations));
            List<EventConverter.Outcome> outcomes = new ArrayList<>();
            List<ParsedEvent> waiting = new ArrayList<>();
            // Each event is converted as soon as it ends, so that only its wedding stays in memory; one naming a zone
            // not known yet waits for the VTIMEZONEs further down (producers put them first, so few ever wait).
            WeddingContentHandler handler = new WeddingContentHandler(limits, registry, locations, event -> {
                EventConverter.Outcome outcome = converter.convert(event);
                if (outcome.zoneUnknown() && waiting.size() < MAX_WAITING) {
                    waiting.add(event);
                }
                outcomes.add(outcome);
            });
            read(document, offset, handler);
            for (ParsedEvent event : waiting) {
                outcomes.set(event.index - 1, converter.convert(event));
            }
            IcsParseResult result = result(outcomes);
            LOG.debug("{}: {} weddings, {} events rejected", source, result.weddings().size(),
                    result.problems().size());
            return result;
        } finally {
            release(registry);
        }
    }

    private static void read(byte[] document, int offset, WeddingContentHandler handler) {
        var reader = new InputStreamReader(new ByteArrayInputStream(document, offset, document.length - offset),
                StandardCharsets.UTF_8);
        try {
            new CalendarParserImpl().parse(new UnfoldingReader(reader), handler);
        } catch (ParserException e) {
            if (e.getCause() instanceof WeddingContentHandler.Rejected rejected) {
                throw new IcsFormatException(rejected.getMessage(), e.getLineNo());
            }
            // ical4j's own message quotes the offending text, so only its line number is passed on.
            throw new IcsFormatException("not a valid iCalendar document: the structure is broken (a missing"
                    + " BEGIN:VCALENDAR, an unbalanced BEGIN/END, a cut-off document or a malformed line)",
                    e.getLineNo());
        } catch (IOException | RuntimeException e) {
            throw new IcsFormatException("not a valid iCalendar document: it could not be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static IcsParseResult result(List<EventConverter.Outcome> outcomes) {
        Map<String, List<Integer>> positionsByUid = new HashMap<>();
        for (EventConverter.Outcome outcome : outcomes) {
            if (outcome.uid() != null) {
                positionsByUid.computeIfAbsent(outcome.uid(), u -> new ArrayList<>()).add(outcome.index());
            }
        }
        List<Wedding> weddings = new ArrayList<>();
        List<IcsProblem> problems = new ArrayList<>();
        for (EventConverter.Outcome outcome : outcomes) {
            List<Integer> positions = outcome.uid() == null ? List.of() : positionsByUid.get(outcome.uid());
            if (positions.size() > 1) {
                // Which copy is right cannot be told, so none is taken (and the stored wedding stays as it is).
                problems.add(new IcsProblem(outcome.index(), outcome.uid(), "the UID is used by " + positions.size()
                        + " events (" + positionList(positions) + "): each wedding must appear once"));
            } else if (outcome.wedding() != null) {
                weddings.add(outcome.wedding());
            } else {
                problems.add(outcome.problem());
            }
        }
        return new IcsParseResult(weddings, problems);
    }

    private static String positionList(List<Integer> positions) {
        List<String> shown = positions.stream().limit(5).map(String::valueOf).toList();
        return String.join(", ", shown) + (positions.size() > 5 ? ", ..." : "");
    }

    /** Returns this parse's VTIMEZONE ids to ical4j's JVM-wide pool; nothing refers to those zones any more. */
    private static void release(TimeZoneRegistry registry) {
        ZoneRulesProviderImpl.getInstance().ifPresent(provider -> {
            for (String zoneId : List.copyOf(registry.getZoneRules().keySet())) {
                provider.getZoneIdPool().release(zoneId);
            }
        });
    }

    private static boolean hasByteOrderMark(byte[] d) {
        return d.length >= 3 && (d[0] & 0xFF) == 0xEF && (d[1] & 0xFF) == 0xBB && (d[2] & 0xFF) == 0xBF;
    }

    private static boolean isBlank(byte[] d, int offset) {
        for (int i = offset; i < d.length; i++) {
            if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n') {
                return false;
            }
        }
        return true;
    }
}
