package io.vigil.calendar.report;

import static io.vigil.calendar.report.FullDay.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.wedding.Wedding;
import io.vigil.core.wedding.WeddingStatus;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CriticalPathHtmlTest {
    /** Every element the page may hold: anything else came in through an unescaped text. */
    static final Set<String> PAGE_TAGS = Set.of("!doctype", "html", "head", "meta", "title", "style", "body",
            "header", "h1", "h2", "h3", "p", "section", "ol", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
            "time", "svg", "line", "rect", "text");

    static Set<String> tagNames(String page) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("</?([!A-Za-z][A-Za-z0-9]*)").matcher(page);
        while (m.find()) {
            names.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    final CriticalPathReport report = FullDay.report();
    final String html = CriticalPathHtml.render(report);

    @Test
    void oneSelfContainedDocument_inlineStylesWithPrintRules_noScriptNoExternalResources() {
        assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">").endsWith("</html>\n");
        assertThat(html).contains("<meta charset=\"utf-8\">", "<style>", "@media print", "@page");
        assertThat(html.toLowerCase()).doesNotContain("<script", "javascript:", "http:", "https:", "src=", "href=",
                "<link", "@import", "url(", "<iframe", "<img");
        assertThat(html).doesNotContainPattern("\\son[a-z]+\\s*=");
        assertThat(tagNames(html)).isSubsetOf(PAGE_TAGS);
    }

    @Test
    void header_titleWithIdDateVenueZone() {
        assertThat(html).contains("<title>Critical path of wedding w-2026-0613-kew, 2026-06-13</title>",
                "<h1>Critical path of wedding w-2026-0613-kew</h1>",
                "<p class=\"meta\">Saturday 13 June 2026 · Kew Orangery · time zone Europe/London</p>",
                "Ceremony 15:00, reception until 23:30 · 150 guests expected · report as of 21:10"
                        + " (2026-06-13T20:10:00Z)");
    }

    @Test
    void summaryFirst_bottlenecksInOrder_thenKeyFigures_thenTheTables() {
        int summary = html.indexOf("<h2>Summary</h2>");
        int milestones = html.indexOf("<h2>Milestones</h2>");
        int guests = html.indexOf("<h2>Guest arrival</h2>");
        int vendors = html.indexOf("<h2>Vendor coordination</h2>");
        int emergencies = html.indexOf("<h2>Emergencies</h2>");

        assertThat(summary).isPositive().isLessThan(milestones);
        assertThat(milestones).isLessThan(guests);
        assertThat(guests).isLessThan(vendors);
        assertThat(vendors).isLessThan(emergencies);
        int previous = summary;
        for (String b : report.bottlenecks()) {
            int at = html.indexOf("<li>" + CriticalPathHtml.escape(b) + "</li>");
            assertThat(at).as(b).isGreaterThan(previous).isLessThan(milestones);
            previous = at;
        }
        assertThat(html).contains(
                "<li>Milestones: 5 of 8 reached; 3 of 5 on time (60 %), mean delay +3 min 48 s, max delay +25 min;"
                        + " 1 missed, 2 pending</li>",
                "<li>Guests: 150 of 150 checked in (100 %); 50 % arrived by 14:44, 15 min 50 s before the ceremony"
                        + " start; 90 % arrived by 15:09, 9 min 50 s after the ceremony start; busiest quarter hour"
                        + " 15:00–15:15 with 45</li>",
                "<li>Vendors: 9 requests to 4 vendors, 8 acknowledged (median 5 min, max 42 min), 1 waiting</li>",
                "<li>Emergencies: 2 raised, 1 answered (median 6 min, max 6 min), 1 without a response</li>");
    }

    @Test
    void tables_milestoneArrivalVendorEmergencyRows() {
        assertThat(html).contains(
                "<tr><td>ceremony</td><td><time datetime=\"2026-06-13T14:00:00Z\">15:00</time></td>"
                        + "<td><time datetime=\"2026-06-13T14:25:00Z\">15:25</time></td><td class=\"num\">+25 min</td>"
                        + "<td class=\"late\">late</td></tr>",
                "<tr><td>first-dance</td><td><time datetime=\"2026-06-13T19:30:00Z\">20:30</time></td>"
                        + "<td>not reached</td><td class=\"num\"></td><td class=\"missed\">missed</td></tr>",
                "<tr><td><time datetime=\"2026-06-13T13:45:00Z\">14:45</time>–15:00</td><td class=\"num\">30</td>"
                        + "<td class=\"num\">105</td><td class=\"num\">70 %</td></tr>",
                "<tr><td>photo-4</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1 min</td>"
                        + "<td class=\"num\">1 min</td><td class=\"alert\">p2 for 30 min</td></tr>",
                "<tr><td>medical-1</td><td>medical</td><td><time datetime=\"2026-06-13T19:58:00Z\">20:58</time>"
                        + "</td><td>none yet</td><td class=\"num alert\">waiting 12 min</td></tr>");
    }

    @Test
    void arrivalChart_inlineSvg_oneBarPerQuarterHour_scaledToThePeak() {
        assertThat(html).contains("<svg class=\"chart\"");
        assertThat(html.split("<rect class=\"bar\"", -1)).hasSize(6 + 1);
        // the peak (45) is 120 high; 30 of 45 is 80
        assertThat(html).contains("<rect class=\"bar\" x=\"119\" y=\"14\" width=\"14\" height=\"120\">"
                + "<title>15:00–15:15: 45 check-ins</title></rect>");
        assertThat(html).contains("height=\"80\"><title>14:45–15:00: 30 check-ins</title>");
    }

    @Test
    void hostileVenue_isEscaped() {
        Wedding w = new Wedding("w-hostile", null, FullDay.LONDON, LocalDateTime.of(2026, 6, 13, 15, 0),
                LocalDateTime.of(2026, 6, 13, 23, 0), 10, "<script>alert(\"pwned\")</script> & 'Hall'", List.of(),
                WeddingStatus.SCHEDULED, "api", null);

        String page = CriticalPathHtml.render(CriticalPathReport.of(w, List.of(), at("12:00")));

        assertThat(page).doesNotContain("<script", "alert(\"");
        assertThat(page).contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; &#39;Hall&#39;");
    }

    @Test
    void hostileIdsNamesAndSentences_areEscapedEverywhere() {
        // Event ids cannot hold markup (WeddingEvent validates them), so the report is built by hand to prove that
        // the page escapes whatever a report holds.
        String evil = "\"><script>alert('x')</script><img src=x onerror=alert(1)>";
        CriticalPathReport r = report;
        VendorRequest waiting = new VendorRequest(evil, evil, at("20:00"), null, null, Duration.ofMinutes(70));
        CriticalPathReport hostile = new CriticalPathReport(evil, r.date(), r.timeZone(), evil, r.status(),
                r.guestCount(), r.ceremonyStart(), r.receptionEnd(), r.now(), 1, 0,
                new Milestones(List.of(Milestone.of(evil, at("15:00"), at("15:30"), r.now())), 1, 0, 0.0,
                        Duration.ofMinutes(30), Duration.ofMinutes(30)),
                r.guestArrivals(),
                new VendorCoordination(List.of(waiting), List.of(new VendorStats(evil, 1, 0, null, null,
                        List.of(waiting))), null, null),
                new Emergencies(List.of(new Emergency(evil, evil, at("20:00"), null, null, Duration.ofMinutes(70))),
                        null, null),
                List.of("Bottleneck " + evil));

        String page = CriticalPathHtml.render(hostile);

        assertThat(page).doesNotContain(evil, "<script", "<img");
        assertThat(tagNames(page)).isSubsetOf(PAGE_TAGS);
        assertThat(page).contains("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x"
                + " onerror=alert(1)&gt;");
        assertThat(page.split("&lt;script&gt;", -1).length - 1).isGreaterThanOrEqualTo(8);
    }

    @Test
    void coordinatorPlantedInTheWedding_neverOnThePage() {
        assertThat(html).doesNotContain("Penelope", "Quill", "penelope.quill@example.org", "7946", "oordinator");
    }

    @Test
    void emptyReport_saysNoDataYet_andEverySectionIsEmpty() {
        String page = CriticalPathHtml.render(CriticalPathReport.of(FullDay.WEDDING, List.of(), at("12:00")));

        assertThat(page).contains("<ol class=\"bottlenecks clear\">\n<li>" + Bottlenecks.NO_DATA + "</li>",
                "No milestones reported yet.", "No guest check-ins yet.", "No vendor requests yet.",
                "No emergencies raised.", "<li>Guests: no check-ins yet (150 expected)</li>");
        assertThat(page).doesNotContain("<svg", "<table");
    }
}
