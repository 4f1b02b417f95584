package io.vigil.calendar.ics;

import io.vigil.core.wedding.Wedding;
import java.util.List;

/**
 * The weddings read from one iCalendar document, in document order, and the events that could not be read.
 *
 * @param weddings one per valid VEVENT
 * @param problems one per rejected VEVENT
 */
public record IcsParseResult(List<Wedding> weddings, List<IcsProblem> problems) {
    public IcsParseResult {
        weddings = List.copyOf(weddings);
        problems = List.copyOf(problems);
    }
}
