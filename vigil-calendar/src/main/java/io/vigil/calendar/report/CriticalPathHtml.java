package io.vigil.calendar.report;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report as one printable, self-contained HTML page for an operations manager: inline CSS with print styles,
 * an inline SVG chart, no JavaScript and no external resources. Every text taken from the report is escaped.
 */
public final class CriticalPathHtml {
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final String CSS = """
            body { font: 14px/1.45 system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d1d1f;
                   max-width: 980px; margin: 24px auto; padding: 0 16px; }
            h1 { font-size: 22px; margin: 0 0 4px; }
            h2 { font-size: 17px; margin: 26px 0 8px; padding-bottom: 2px; border-bottom: 1px solid #bbb; }
            h3 { font-size: 15px; margin: 12px 0 4px; }
            .meta { color: #444; margin: 2px 0; }
            .note { color: #8a5a00; margin: 2px 0; }
            table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
            th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
            th { background: #f0f0f0; font-weight: 600; }
            .num { text-align: right; font-variant-numeric: tabular-nums; }
            ol.bottlenecks li { margin: 3px 0; }
            ol.bottlenecks.clear { list-style: none; padding-left: 0; color: #1d6b2a; }
            .late, .missed, .alert { color: #a40000; font-weight: 600; }
            .early { color: #8a5a00; }
            .on_time { color: #1d6b2a; }
            .pending, .unplanned, .none { color: #555; }
            .none { font-style: italic; }
            svg.chart { max-width: 100%; height: auto; display: block; margin: 6px 0 12px; }
            svg.chart rect.bar { fill: #4a6fa5; }
            svg.chart line { stroke: #888; stroke-width: 1; }
            svg.chart text { font-size: 10px; fill: #333; }
            @page { size: A4; margin: 14mm; }
            @media print {
              body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
              h2, h3 { break-after: avoid; page-break-after: avoid; }
              tr, svg.chart { break-inside: avoid; page-break-inside: avoid; }
              thead { display: table-header-group; }
              th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            }
            """;

    private final CriticalPathReport r;
    private final WeddingTimes t;
    private final StringBuilder out = new StringBuilder(8192);

    private CriticalPathHtml(CriticalPathReport report) {
        this.r = report;
        this.t = report.times();
    }

    /** The report as a complete HTML document. */
    public static String render(CriticalPathReport report) {
        return new CriticalPathHtml(report).page();
    }

    /** {@code text} with {@code & < > " '} escaped, safe in element content and quoted attributes; "" for null. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private String page() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        text("Critical path of wedding " + r.weddingId() + ", " + r.date());
        out.append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header();
        summary();
        milestones();
        guests();
        vendors();
        emergencies();
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void header() {
        out.append("<header>\n<h1>");
        text("Critical path of wedding " + r.weddingId());
        out.append("</h1>\n<p class=\"meta\">");
        text(r.date().format(LONG_DATE) + " · " + (r.venue() == null ? "venue not given" : r.venue()) + " · time zone "
                + r.timeZone().getId());
        out.append("</p>\n<p class=\"meta\">");
        text("Ceremony " + t.clock(r.ceremonyStart()) + ", reception until " + t.clock(r.receptionEnd()) + " · "
                + r.guestCount() + " guests expected · report as of " + t.clock(r.now()) + " (" + r.now() + ")");
        out.append("</p>\n");
        String change = t.clockChange(r.ceremonyStart().minus(Wedding.ACTIVE_BEFORE_CEREMONY),
                r.receptionEnd());
        if (change != null) {
            out.append("<p class=\"note\">");
            text(change + "; times after it are shown on the new clock.");
            out.append("</p>\n");
        }
        if (r.status() != WeddingStatus.SCHEDULED) {
            out.append("<p class=\"note\">");
            text("This wedding is " + r.status().wireName() + ".");
            out.append("</p>\n");
        }
        out.append("</header>\n");
    }

    private void summary() {
        out.append("<section>\n<h2>Summary</h2>\n<h3>Bottlenecks</h3>\n");
        boolean clear = r.bottlenecks().equals(List.of(Bottlenecks.NO_BOTTLENECKS))
                || r.bottlenecks().equals(List.of(Bottlenecks.NO_DATA));
        out.append(clear ? "<ol class=\"bottlenecks clear\">\n" : "<ol class=\"bottlenecks\">\n");
        for (String b : r.bottlenecks()) {
            out.append("<li>");
            text(b);
            out.append("</li>\n");
        }
        out.append("</ol>\n<h3>Key figures</h3>\n<ul>\n");
        for (String line : figures()) {
            out.append("<li>");
            text(line);
            out.append("</li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    private List<String> figures() {
        List<String> lines = new ArrayList<>();
        Milestones m = r.milestones();
        if (m.items().isEmpty()) {
            lines.add("Milestones: none reported");
        } else {
            String line = "Milestones: " + (m.measured() + m.count(MilestoneState.UNPLANNED)) + " of "
                    + m.items().size() + " reached";
            if (m.measured() > 0) {
                line += "; " + m.onTime() + " of " + m.measured() + " on time ("
                        + ReportText.percent(m.onTime(), m.measured()) + " %), mean delay "
                        + ReportText.signed(m.meanDelay()) + ", max delay " + ReportText.signed(m.maxDelay());
            }
            lines.add(line + "; " + m.count(MilestoneState.MISSED) + " missed, " + m.count(MilestoneState.PENDING)
                    + " pending");
        }
        GuestArrivals g = r.guestArrivals();
        if (g.arrived() == 0) {
            lines.add("Guests: no check-ins yet (" + g.expected() + " expected)");
        } else {
            String line = "Guests: " + g.arrived() + " of " + g.expected() + " checked in"
                    + (g.expected() > 0 ? " (" + ReportText.percent(g.arrived(), g.expected()) + " %)" : "");
            for (ArrivalMark mark : new ArrivalMark[] {g.fiftyPercent(), g.ninetyPercent()}) {
                if (mark != null) {
                    line += "; " + mark.describe(t);
                }
            }
            lines.add(line + "; busiest quarter hour " + t.clock(g.peak().start()) + "–" + t.clock(g.peak().end())
                    + " with " + g.peak().count());
        }
        VendorCoordination v = r.vendors();
        if (v.requests().isEmpty()) {
            lines.add("Vendors: no requests");
        } else {
            int acked = v.requests().size() - v.unacknowledged();
            lines.add("Vendors: " + v.requests().size() + " requests to " + v.vendors().size() + " vendors, " + acked
                    + " acknowledged" + (acked > 0 ? " (median " + ReportText.duration(v.medianAck()) + ", max "
                            + ReportText.duration(v.maxAck()) + ")" : "") + ", " + v.unacknowledged() + " waiting");
        }
        Emergencies e = r.emergencies();
        if (e.items().isEmpty()) {
            lines.add("Emergencies: none");
        } else {
            lines.add("Emergencies: " + e.items().size() + " raised, " + e.answered() + " answered"
                    + (e.answered() > 0 ? " (median " + ReportText.duration(e.medianResponse()) + ", max "
                            + ReportText.duration(e.maxResponse()) + ")" : "") + ", " + e.unanswered()
                    + " without a response");
        }
        return lines;
    }

    private void milestones() {
        out.append("<section>\n<h2>Milestones</h2>\n");
        if (r.milestones().items().isEmpty()) {
            none("No milestones reported yet.");
            return;
        }
        out.append("<table>\n<thead><tr><th>Milestone</th><th>Planned</th><th>Actual</th><th class=\"num\">Delay</th>"
                + "<th>State</th></tr></thead>\n<tbody>\n");
        for (Milestone m : r.milestones().items()) {
            out.append("<tr><td>");
            text(m.name());
            out.append("</td><td>");
            time(m.planned(), "not planned");
            out.append("</td><td>");
            time(m.actual(), m.state() == MilestoneState.MISSED ? "not reached" : "not yet");
            out.append("</td><td class=\"num\">");
            text(m.delay() == null ? "" : ReportText.signed(m.delay()));
            out.append("</td><td class=\"").append(escape(m.state().wireName())).append("\">");
            text(m.state().label());
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private void guests() {
        out.append("<section>\n<h2>Guest arrival</h2>\n");
        GuestArrivals g = r.guestArrivals();
        if (g.buckets().isEmpty()) {
            none("No guest check-ins yet.");
            return;
        }
        chart(g);
        out.append("<table>\n<thead><tr><th>Quarter hour</th><th class=\"num\">Check-ins</th>"
                + "<th class=\"num\">Cumulative</th><th class=\"num\">Share of guests</th></tr></thead>\n<tbody>\n");
        for (ArrivalBucket b : g.buckets()) {
            out.append("<tr><td>");
            time(b.start(), "");
            text("–" + t.clock(b.end()));
            out.append("</td><td class=\"num\">");
            text(Long.toString(b.count()));
            out.append("</td><td class=\"num\">");
            text(Long.toString(b.cumulative()));
            out.append("</td><td class=\"num\">");
            text(b.share() == null ? "" : ReportText.percent(b.cumulative(), g.expected()) + " %");
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    /** A bar per quarter hour, scaled to the peak; every hour's bar labelled with its local start. */
    private void chart(GuestArrivals g) {
        int n = g.buckets().size();
        int bar = 14;
        int gap = 3;
        int left = 34;
        int top = 14;
        int height = 120;
        int width = left + n * (bar + gap) + 8;
        int total = top + height + 22;
        int labelEvery = Math.max(4, (n / 16 + 3) / 4 * 4);
        long peak = Math.max(1, g.peak().count());
        out.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(total)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(total)
                .append("\" role=\"img\" aria-label=\"Guest check-ins per 15 minutes\">\n");
        out.append("<title>Guest check-ins per 15 minutes</title>\n");
        out.append("<line x1=\"").append(left).append("\" y1=\"").append(top + height).append("\" x2=\"")
                .append(width - 4).append("\" y2=\"").append(top + height).append("\"/>\n");
        out.append("<text x=\"2\" y=\"").append(top + 4).append("\">");
        text(Long.toString(g.peak().count()));
        out.append("</text>\n<text x=\"2\" y=\"").append(top + height).append("\">0</text>\n");
        for (int i = 0; i < n; i++) {
            ArrivalBucket b = g.buckets().get(i);
            int h = (int) Math.round((double) b.count() / peak * height);
            int x = left + i * (bar + gap);
            out.append("<rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(top + height - h)
                    .append("\" width=\"").append(bar).append("\" height=\"").append(h).append("\"><title>");
            text(t.clock(b.start()) + "–" + t.clock(b.end()) + ": " + b.count() + " check-ins");
            out.append("</title></rect>\n");
            if (i % labelEvery == 0) {
                out.append("<text x=\"").append(x).append("\" y=\"").append(total - 6).append("\">");
                text(b.start().atZone(r.timeZone()).format(HOUR_MINUTE));
                out.append("</text>\n");
            }
        }
        out.append("</svg>\n");
    }

    private void vendors() {
        out.append("<section>\n<h2>Vendor coordination</h2>\n");
        VendorCoordination v = r.vendors();
        if (v.requests().isEmpty()) {
            none("No vendor requests yet.");
            return;
        }
        out.append("<table>\n<thead><tr><th>Vendor</th><th class=\"num\">Requests</th><th class=\"num\">Acknowledged"
                + "</th><th class=\"num\">Median ack</th><th class=\"num\">Max ack</th><th>Waiting now</th></tr></thead>"
                + "\n<tbody>\n");
        for (VendorStats s : v.vendors()) {
            out.append("<tr><td>");
            text(s.vendorId());
            out.append("</td><td class=\"num\">");
            text(Integer.toString(s.requests()));
            out.append("</td><td class=\"num\">");
            text(Integer.toString(s.acknowledged()));
            out.append("</td><td class=\"num\">");
            text(s.medianAck() == null ? "" : ReportText.duration(s.medianAck()));
            out.append("</td><td class=\"num\">");
            text(s.maxAck() == null ? "" : ReportText.duration(s.maxAck()));
            out.append(s.unacknowledged().isEmpty() ? "</td><td>" : "</td><td class=\"alert\">");
            List<String> waiting = new ArrayList<>();
            for (VendorRequest w : s.unacknowledged()) {
                waiting.add(w.ref() + " for " + ReportText.duration(w.waiting()));
            }
            text(String.join(", ", waiting));
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n<h3>Requests</h3>\n<table>\n<thead><tr><th>Request</th><th>Vendor</th>"
                + "<th>Requested</th><th>Acknowledged</th><th class=\"num\">Time to acknowledge</th></tr></thead>\n"
                + "<tbody>\n");
        for (VendorRequest q : v.requests()) {
            out.append("<tr><td>");
            text(q.ref());
            out.append("</td><td>");
            text(q.vendorId());
            out.append("</td><td>");
            time(q.requestedAt(), "");
            out.append("</td><td>");
            time(q.acknowledgedAt(), "not yet");
            out.append(q.acknowledged() ? "</td><td class=\"num\">" : "</td><td class=\"num alert\">");
            text(q.acknowledged() ? ReportText.duration(q.ackTime())
                    : "waiting " + ReportText.duration(q.waiting()));
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private void emergencies() {
        out.append("<section>\n<h2>Emergencies</h2>\n");
        Emergencies e = r.emergencies();
        if (e.items().isEmpty()) {
            none("No emergencies raised.");
            return;
        }
        out.append("<table>\n<thead><tr><th>Emergency</th><th>Category</th><th>Raised</th><th>First response</th>"
                + "<th class=\"num\">Response time</th></tr></thead>\n<tbody>\n");
        for (Emergency x : e.items()) {
            out.append("<tr><td>");
            text(x.ref());
            out.append("</td><td>");
            text(x.category());
            out.append("</td><td>");
            time(x.raisedAt(), "");
            out.append("</td><td>");
            time(x.respondedAt(), "none yet");
            boolean alert = !x.answered() || x.responseTime().compareTo(Bottlenecks.EMERGENCY_RESPONSE_TARGET) > 0;
            out.append(alert ? "</td><td class=\"num alert\">" : "</td><td class=\"num\">");
            text(x.answered() ? ReportText.duration(x.responseTime()) : "waiting " + ReportText.duration(x.waiting()));
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private void none(String message) {
        out.append("<p class=\"none\">");
        text(message);
        out.append("</p>\n</section>\n");
    }

    /** A local clock time in a {@code <time>} element carrying the instant; {@code absent} when null. */
    private void time(Instant at, String absent) {
        if (at == null) {
            text(absent);
            return;
        }
        out.append("<time datetime=\"").append(escape(at.toString())).append("\">");
        text(t.clock(at));
        out.append("</time>");
    }

    private void text(String s) {
        out.append(escape(s));
    }
}
