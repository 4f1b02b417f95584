package io.vigil.notify.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.alerting.Impact;
import io.vigil.alerting.NotificationIntent.AlertSummary;
import io.vigil.alerting.NotificationIntent.Kind;
import io.vigil.alerting.NotificationIntent;
import io.vigil.alerting.Priority;
import io.vigil.alerting.Severity;
import io.vigil.alerting.lifecycle.LifecycleJson;
import io.vigil.core.WriteBatch;
import io.vigil.core.outbound.RetryPolicy;
import io.vigil.core.wedding.Coordinator;
import io.vigil.core.wedding.Wedding;
import io.vigil.notify.MessageBuilder;
import io.vigil.notify.channel.HttpChannelReceiver.Response;
import io.vigil.notify.channel.HttpChannelReceiver;
import io.vigil.notify.channel.PagerDutyChannel;
import io.vigil.notify.channel.SlackChannel;
import io.vigil.notify.channel.TwilioConfig;
import io.vigil.notify.channel.TwilioSmsChannel;
import io.vigil.notify.incident.Incident;
import io.vigil.notify.incident.IncidentLog;
import io.vigil.notify.routing.RoutingTree;
import io.vigil.store.StateStore;
import io.vigil.store.embedded.EmbeddedMetricStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing and durable delivery end to end, with the real embedded state store and real channels against local
 * receivers that answer as the vendors document: who gets what, a channel down while the others deliver, a rejected
 * message, a restart in the middle, and the emergency chain with its incident record.
 */
class DeliveryTest {
    static final String ROUTING_KEY = "R0123456789ABCDEF0123456789ABCDE";
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Short enough for a test: fallback after 300 ms, give up after 3 s. */
    static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofSeconds(3), Duration.ofMillis(300));

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();
    final List<WriteBatch> metrics = new CopyOnWriteArrayList<>();
    HttpChannelReceiver slack = receiver(r -> Response.of(200, "ok"));
    HttpChannelReceiver pagerDuty = receiver(r -> Response.of(202, "{\"status\":\"success\"}"));
    HttpChannelReceiver twilio = receiver(r -> Response.of(201, "{\"sid\":\"SM1\",\"status\":\"queued\"}"));
    EmbeddedMetricStore store;

    HttpChannelReceiver receiver(HttpChannelReceiver.Responder responder) {
        HttpChannelReceiver r = HttpChannelReceiver.start(responder);
        open.add(r);
        return r;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    EmbeddedMetricStore openStore() {
        store = EmbeddedMetricStore.open(dir.resolve("store"));
        open.add(store);
        return store;
    }

    Map<String, Receiver> receivers() {
        Map<String, Receiver> out = new HashMap<>();
        out.put("wedding-ops", new Receiver("wedding-ops", new SlackChannel(slack.uri("/services/ops"), "#wedding-ops",
                TIMEOUT), false));
        out.put("wedding-emergency", new Receiver("wedding-emergency", new SlackChannel(
                slack.uri("/services/emergency"), "#wedding-emergency", TIMEOUT), false));
        out.put("team-leads", new Receiver("team-leads", new SlackChannel(slack.uri("/services/leads"), "#team-leads",
                TIMEOUT), false));
        out.put("oncall-pagerduty", new Receiver("oncall-pagerduty", new PagerDutyChannel(pagerDuty.uri(""),
                ROUTING_KEY, "vigil/test", TIMEOUT), false));
        TwilioConfig.Builder sms = TwilioConfig.builder("coordinators-sms").baseUri(twilio.uri(""))
                .account(SID, "token-for-tests-only").from("+447700900000").recipients(List.of()).timeout(TIMEOUT);
        out.put("coordinators-sms", new Receiver("coordinators-sms", new TwilioSmsChannel(sms.build()), true));
        return out;
    }

    NotificationService service(StateStore state, Map<String, Receiver> receivers) {
        IncidentLog incidents = new IncidentLog(state);
        Router router = new Router(state, RoutingTree.DEFAULT, new MessageBuilder(i -> "https://vigil.test/ack?t=1"),
                receivers, incidents, Clock.systemUTC(), "node-a");
        Dispatcher dispatcher = new Dispatcher(state, receivers, new CoordinatorContacts(store.weddings()), incidents,
                new DeliveryMetrics(metrics::add), FAST, Clock.systemUTC(), "node-a");
        NotificationService s = new NotificationService(router, dispatcher).start();
        open.add(s);
        return s;
    }

    static NotificationIntent intent(String key, Kind kind, Priority priority, Impact impact, String wedding) {
        Instant now = Instant.now();
        Map<String, String> labels = wedding == null ? Map.of("route", "/api/weddings/{id}/photos")
                : Map.of("wedding_id", wedding);
        Map<String, Object> context = Map.of("activeWeddings", List.of(Map.of("id", "w-1"), Map.of("id", "w-2")),
                "upcomingWeddings", List.of(), "weddingSeason", true, "peakTime", true, "estimatedWeddingLoad", 270.0);
        return new NotificationIntent(key, "group-" + (wedding == null ? "platform" : wedding), kind, priority, impact,
                List.of(new AlertSummary("fp-1", "photo-upload.avg.critical", labels, Severity.CRITICAL,
                        "avg 12.4 s > 10 s", "active wedding uses photo upload", now)), context, now);
    }

    static void enqueue(StateStore state, NotificationIntent i) {
        state.enqueue(i.idempotencyKey(), LifecycleJson.write(i));
    }

    static List<HttpChannelReceiver.Request> at(HttpChannelReceiver r, String path) {
        return r.requests().stream().filter(q -> q.path().equals(path)).toList();
    }

    static List<HttpChannelReceiver.Request> about(List<HttpChannelReceiver.Request> requests, String text) {
        return requests.stream().filter(r -> r.text().contains(text)).toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aP1GoesToWeddingOpsAndPagerDuty_eachOnce_andEveryAttemptIsCounted() throws Exception {
        StateStore state = openStore().state();
        service(state, receivers());

        enqueue(state, intent("k-p1", Kind.FIRING, Priority.P1, Impact.POTENTIAL, "w-1"));

        await("both receivers", () -> !at(slack, "/services/ops").isEmpty() && !pagerDuty.requests().isEmpty());
        await("the queues to drain", () -> state.pending(10).isEmpty() && state.pending(Delivery.QUEUE, 10).isEmpty());
        Thread.sleep(300); // a duplicate would arrive within a few polls
        assertThat(at(slack, "/services/ops")).singleElement()
                .satisfies(r -> assertThat(r.text()).contains("photo-upload.avg.critical", "avg 12.4 s"));
        assertThat(pagerDuty.requests()).singleElement()
                .satisfies(r -> assertThat(r.json().path("event_action").asText()).isEqualTo("trigger"));
        assertThat(at(slack, "/services/emergency")).isEmpty();
        assertThat(metrics).hasSize(2).allSatisfy(b -> {
            assertThat(b.key(0).metric()).isEqualTo(DeliveryMetrics.ATTEMPTS);
            assertThat(b.key(0).labels().get("outcome")).isEqualTo("delivered");
            assertThat(b.key(1).metric()).isEqualTo(DeliveryMetrics.LATENCY);
        });
    }

    @Test
    void oneChannelDown_theOthersDeliverAtOnce_itFallsBack_andItsFailureIsReportedAsAP1() throws Exception {
        pagerDuty.respondWith(r -> Response.of(503, "down"));
        StateStore state = openStore().state();
        Map<String, Receiver> receivers = receivers();
        // PagerDuty's fallback in the default P1 route is oncall-sms: here a Twilio SMS to the on-call number.
        receivers.put("oncall-sms", new Receiver("oncall-sms", new TwilioSmsChannel(TwilioConfig.builder("oncall-sms")
                .baseUri(twilio.uri("")).account(SID, "token-for-tests-only").from("+447700900000")
                .recipients(List.of("+447700900111")).timeout(TIMEOUT).build()), false));
        service(state, receivers);

        enqueue(state, intent("k-down", Kind.FIRING, Priority.P1, Impact.POTENTIAL, "w-1"));

        await("wedding-ops", () -> !at(slack, "/services/ops").isEmpty());
        await("the fallback SMS", () -> !twilio.requests().isEmpty());
        assertThat(form(twilio.requests().getFirst().text())).containsEntry("To", "+447700900111");
        await("the failure report", () -> at(slack, "/services/ops").stream()
                .anyMatch(r -> r.text().contains("deliveries to oncall-pagerduty failing")));
        assertThat(pagerDuty.requests().size()).as("retried with backoff").isGreaterThan(1);
        await("the dead letter after the give-up time", () -> !state.deadLetters(Delivery.QUEUE, 10).isEmpty());
        assertThat(state.deadLetters(Delivery.QUEUE, 10)).singleElement().satisfies(d -> {
            assertThat(d.reason()).startsWith("gave up after").contains("http 503");
            assertThat(d.item().key()).isEqualTo("k-down|oncall-pagerduty");
        });
        assertThat(metrics).anySatisfy(b -> assertThat(b.key(0).labels().get("outcome")).isEqualTo("retry"));
    }

    @Test
    void aRejectedMessage_isADeadLetterAtOnce_withItsReason() throws Exception {
        slack.respondWith(r -> r.path().equals("/services/ops") ? Response.of(400, "invalid_payload")
                : Response.of(200, "ok"));
        StateStore state = openStore().state();
        service(state, receivers());

        enqueue(state, intent("k-bad", Kind.FIRING, Priority.P2, Impact.POTENTIAL, "w-1"));

        await("the dead letter", () -> !state.deadLetters(Delivery.QUEUE, 10).isEmpty());
        assertThat(state.deadLetters(Delivery.QUEUE, 10)).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("rejected: http 400 invalid_payload"));
        assertThat(at(slack, "/services/ops")).hasSize(1);
    }

    @Test
    void aDeliveryWaitingForARetry_survivesARestart_andIsSentOnce() throws Exception {
        slack.respondWith(r -> Response.of(503, "down"));
        StateStore state = openStore().state();
        NotificationService first = service(state, receivers());
        enqueue(state, intent("k-restart", Kind.FIRING, Priority.P2, Impact.POTENTIAL, "w-1"));
        await("a failed attempt", () -> !at(slack, "/services/ops").isEmpty());
        first.close();
        store.close();
        slack.respondWith(r -> Response.of(200, "ok"));
        int before = about(at(slack, "/services/ops"), "photo-upload.avg.critical").size();

        StateStore reopened = openStore().state();
        assertThat(reopened.pending(Delivery.QUEUE, 10)).extracting(StateStore.OutboxItem::key)
                .containsExactly("k-restart|wedding-ops");
        service(reopened, receivers());

        await("the delivery", () -> reopened.pending(Delivery.QUEUE, 10).isEmpty());
        Thread.sleep(300);
        assertThat(about(at(slack, "/services/ops"), "photo-upload.avg.critical")).hasSize(before + 1);
    }

    @Test
    void aP0RunsTheEmergencyChain_coordinatorsBySms_andKeepsAnIncidentWithItsTimeline() throws Exception {
        StateStore state = openStore().state();
        store.weddings().upsert(List.of(new Wedding("w-1", null, ZoneId.of("Europe/London"),
                LocalDateTime.of(2026, 6, 13, 15, 0), LocalDateTime.of(2026, 6, 13, 23, 30), 120, null, List.of(),
                null, null, new Coordinator("Jane Planner", "jane@example.com", "+44 7700 900222"))));
        service(state, receivers());

        enqueue(state, intent("k-p0", Kind.FIRING, Priority.P0, Impact.CRITICAL, "w-1"));

        await("the emergency channels", () -> !at(slack, "/services/emergency").isEmpty()
                && !at(slack, "/services/leads").isEmpty() && !pagerDuty.requests().isEmpty()
                && !twilio.requests().isEmpty());
        Map<String, String> sms = form(twilio.requests().getFirst().text());
        assertThat(sms).containsEntry("To", "+447700900222");
        assertThat(sms.get("Body")).contains("P0").doesNotContain("Jane", "jane@example.com");
        IncidentLog incidents = new IncidentLog(state);
        await("the incident timeline", () -> incidents.list(10).size() == 1 && incidents.timeline(
                incidents.list(10).getFirst().id()).stream().filter(e -> e.event().equals("sent")).count() == 4);
        Incident incident = incidents.list(10).getFirst();
        assertThat(incident.state()).isEqualTo("open");
        assertThat(incident.affectedWeddings()).containsExactly("w-1");
        assertThat(incidents.timeline(incident.id())).extracting(Incident.TimelineEntry::event).startsWith("opened");
        assertThat(incidents.timeline(incident.id())).filteredOn(e -> e.event().equals("sent"))
                .extracting(Incident.TimelineEntry::receiver).containsExactlyInAnyOrder("coordinators-sms",
                        "oncall-pagerduty", "team-leads", "wedding-emergency");

        NotificationIntent fired = intent("k-p0-ack", Kind.ACKNOWLEDGED, Priority.P0, Impact.CRITICAL, "w-1");
        Map<String, Object> ackContext = new HashMap<>(fired.context());
        ackContext.put("acknowledged_by", "sre-key");
        enqueue(state, new NotificationIntent(fired.idempotencyKey(), fired.groupKey(), fired.kind(), fired.priority(),
                fired.impact(), fired.alerts(), ackContext, fired.at()));
        await("the acknowledgement", () -> "acknowledged".equals(incidents.get(incident.id()).orElseThrow().state()));
        assertThat(incidents.get(incident.id()).orElseThrow().acknowledgedBy()).isEqualTo("sre-key");

        enqueue(state, intent("k-p0-resolved", Kind.RESOLVED, Priority.P0, Impact.CRITICAL, "w-1"));
        await("the resolution", () -> "resolved".equals(incidents.get(incident.id()).orElseThrow().state()));
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
