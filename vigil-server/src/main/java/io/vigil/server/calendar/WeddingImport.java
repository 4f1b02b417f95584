package io.vigil.server.calendar;

import io.javalin.http.Context;
import io.vigil.calendar.WeddingCalendar;
import io.vigil.calendar.csv.CsvImport;
import io.vigil.calendar.csv.CsvImportException;
import io.vigil.calendar.csv.CsvProblem;
import io.vigil.calendar.csv.CsvWedding;
import io.vigil.calendar.csv.WeddingCsvReader;
import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import io.vigil.server.http.HttpProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/v1/weddings/import}: a CSV ({@code text/csv}) or iCalendar ({@code text/calendar}) file of
 * weddings. The good rows are applied in one transaction and every bad one is reported with its line; with
 * {@code ?strict=true} nothing is applied when any row has a problem (422).
 */
public final class WeddingImport {
    private final WeddingCalendar calendar;
    private final WeddingCsvReader csv = new WeddingCsvReader();
    private final io.vigil.calendar.ics.IcsWeddingParser ics = new io.vigil.calendar.ics.IcsWeddingParser();

    public WeddingImport(WeddingCalendar calendar) {
        this.calendar = calendar;
    }

    /** One problem of an import, as answered: the line when known. */
    record Problem(Integer line, String column, String message) {}

    /** What an import read, before it is applied. */
    record Parsed(String format, long rows, List<Wedding> weddings, List<Problem> problems, List<String> notices) {}

    public void handle(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean strict = "true".equalsIgnoreCase(ctx.queryParam("strict"));
        byte[] body = ctx.bodyAsBytes();
        Parsed parsed;
        try {
            if (type.startsWith("text/csv")) {
                parsed = csv(body);
            } else if (type.startsWith("text/calendar")) {
                parsed = ics(body);
            } else {
                throw new HttpProblem(415, "Content-Type '" + io.vigil.server.http.Requests.shorten(type) + "' is not an import format;"
                        + " send text/csv (columns in docs/calendar.md) or text/calendar");
            }
        } catch (ImportFailed e) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("line", e.line > 0 ? e.line : null);
            problem.put("message", e.getMessage());
            ctx.status(400).json(Map.of("error", "nothing was imported: " + e.getMessage(),
                    "problems", List.of(problem)));
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("format", parsed.format());
        answer.put("strict", strict);
        answer.put("read", parsed.rows());
        boolean apply = !strict || parsed.problems().isEmpty();
        int created = 0;
        int cancelled = 0;
        if (apply && !parsed.weddings().isEmpty()) {
            created = calendar.store().upsert(parsed.weddings());
            calendar.invalidate();
            cancelled = (int) parsed.weddings().stream().filter(w -> w.status() == WeddingStatus.CANCELLED).count();
        }
        int applied = apply ? parsed.weddings().size() : 0;
        answer.put("applied", applied);
        answer.put("created", created);
        answer.put("updated", applied - created);
        answer.put("cancelled", cancelled);
        answer.put("notices", parsed.notices());
        List<Map<String, Object>> problems = new ArrayList<>();
        for (Problem p : parsed.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("message", p.message());
            problems.add(m);
        }
        answer.put("problems", problems);
        ctx.status(apply ? 200 : 422).json(answer);
    }

    private Parsed csv(byte[] body) {
        CsvImport result;
        try {
            result = csv.read(new ByteArrayInputStream(body));
        } catch (CsvImportException e) {
            throw new ImportFailed(e.getMessage(), e.line());
        } catch (IOException e) {
            throw new HttpProblem(400, "the CSV file cannot be read: " + e.getMessage());
        }
        List<Wedding> weddings = new ArrayList<>();
        for (CsvWedding w : result.weddings()) {
            weddings.add(w.wedding());
        }
        List<Problem> problems = new ArrayList<>();
        for (CsvProblem p : result.problems()) {
            problems.add(new Problem(p.line(), p.column(), p.message()));
        }
        return new Parsed("csv", result.rows(), weddings, problems, result.notices());
    }

    private Parsed ics(byte[] body) {
        io.vigil.calendar.ics.IcsParseResult result;
        try {
            result = ics.parse(body, "ics:upload");
        } catch (io.vigil.calendar.ics.IcsFormatException e) {
            throw new ImportFailed(e.getMessage(), e.line());
        }
        List<Problem> problems = new ArrayList<>();
        for (io.vigil.calendar.ics.IcsProblem p : result.problems()) {
            problems.add(new Problem(null, null, p.toString()));
        }
        return new Parsed("ics", result.weddings().size() + result.problems().size(), result.weddings(), problems,
                List.of());
    }

    /** A file that cannot be imported at all: 400 with the problem and its line. */
    static final class ImportFailed extends RuntimeException {
        final int line;

        ImportFailed(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }
    }
}
