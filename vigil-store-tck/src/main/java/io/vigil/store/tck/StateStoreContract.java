package io.vigil.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.store.StateStore;
import io.vigil.store.StateStore.HistoryEntry;
import io.vigil.store.StateStore.OutboxItem;
import io.vigil.store.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} backend passes, with the same answers: the embedded SQLite store and the
 * PostgreSQL store both extend it (in their test sources) and implement four hooks.
 *
 * <ul>
 *   <li>{@link #clear()} wipes every document, history entry and outbox item at the backend's test location. It runs
 *       before each test, while no store of this suite is open.
 *   <li>{@link #newStore()} opens the backend on that location and returns its state store. Tests call it again
 *       after {@link #closeStore()} to prove that what was stored survives a reopen, so it must reopen the same data.
 *   <li>{@link #closeStore()} closes what the last {@link #newStore()} opened.
 *   <li>{@link #refuseDocument} makes the backend's own storage refuse one document, to show that a put failing
 *       midway stores nothing.
 * </ul>
 *
 * <p>Where the SPI leaves a detail open, the suite pins what both backends do: ids order by code point (byte-wise
 * UTF-8); history times are kept to the millisecond; a limit of 0 returns nothing and a negative one is refused;
 * {@link StateStore#pending} reports how many times each item has been claimed so far; a claimer whose claim expired
 * can still complete the item while nobody else has claimed it. Claim expiry is real time: those tests sleep for
 * about a second in all. A backend that cannot reach its database fails these tests; it does not skip them.
 */
public abstract class StateStoreContract {
    /** Saturday 13 June 2026, 18:00 UTC: the suite's history times are around it, never the wall-clock time. */
    protected static final Instant SATURDAY_EVENING = Instant.parse("2026-06-13T18:00:00Z");
    /** Text that needs escaping in every storage format, including text that looks like SQL or JSON. */
    protected static final String HOSTILE = "O'Brien \"the 'planner'\" \\ back\\slash\nnew line\ttab 💍🎉 ünïcødé"
            + " '; DROP TABLE documents; -- {\"json\": [1, 2]} %_* ?";
    protected static final Duration LONG_CLAIM = Duration.ofMinutes(5);
    /** Short enough to wait out in a test, long enough that the claim cannot expire before the next call. */
    protected static final Duration SHORT_CLAIM = Duration.ofMillis(300);

    /** The state store under test, opened before each test and closed after it. */
    protected StateStore store;

    /** Opens the backend on its test location and returns its state store; called again to reopen the same data. */
    protected abstract StateStore newStore();

    /** Closes the backend that the last {@link #newStore()} opened. */
    protected abstract void closeStore();

    /** Wipes every document, history entry and outbox item at the test location; called with no store open. */
    protected abstract void clear();

    /**
     * Makes the backend's own storage refuse to write the document {@code (kind, id)} from now until the next
     * {@link #clear()}, behind the store's back (with a trigger, for example), so that a put holding it fails.
     */
    protected abstract void refuseDocument(String kind, String id) throws Exception;

    @BeforeEach
    void openCleanStore() {
        clear();
        store = newStore();
    }

    @AfterEach
    void closeAfterTest() {
        if (store != null) {
            closeStore();
            store = null;
        }
    }

    // --- fixtures -----------------------------------------------------------------------------------------------------

    protected static String rule(String name, int threshold) {
        return "{\"name\":\"" + name + "\",\"threshold\":" + threshold + "}";
    }

    protected static Instant at(int minutes) {
        return SATURDAY_EVENING.plus(Duration.ofMinutes(minutes));
    }

    private static List<String> jsons(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::json).toList();
    }

    private static List<String> keys(List<OutboxItem> items) {
        return items.stream().map(OutboxItem::key).toList();
    }

    /** Sleeps until a claim of {@link #SHORT_CLAIM} made before the call has expired. */
    private static void outlastShortClaim() throws InterruptedException {
        Thread.sleep(SHORT_CLAIM.toMillis() * 2);
    }

    // --- documents ------------------------------------------------------------------------------------------------------

    @Test
    void newStore_isEmpty() {
        assertThat(store.get("rule", "r-1")).isEmpty();
        assertThat(store.list("rule")).isEmpty();
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 10)).isEmpty();
        assertThat(store.pending(10)).isEmpty();
        assertThat(store.claim("node-a", 10, LONG_CLAIM)).isEmpty();
    }

    @Test
    void put_thenGetAndList_returnTheDocuments() {
        store.put("rule", Map.of("r-1", rule("rsvp-errors", 5), "r-2", rule("checkin-latency", 800)));

        assertThat(store.get("rule", "r-1")).contains(rule("rsvp-errors", 5));
        assertThat(store.get("rule", "r-2")).contains(rule("checkin-latency", 800));
        assertThat(store.get("rule", "r-3")).isEmpty();
        assertThat(store.get("rule", "R-1")).as("ids are case-sensitive").isEmpty();
        assertThat(store.list("rule")).containsExactly(
                Map.entry("r-1", rule("rsvp-errors", 5)), Map.entry("r-2", rule("checkin-latency", 800)));
    }

    @Test
    void put_knownId_replacesTheDocument() {
        store.put("rule", Map.of("r-1", rule("a", 1), "r-2", rule("b", 2)));

        store.put("rule", Map.of("r-2", rule("b", 20), "r-3", rule("c", 3)));

        assertThat(store.list("rule")).containsExactly(
                Map.entry("r-1", rule("a", 1)), Map.entry("r-2", rule("b", 20)), Map.entry("r-3", rule("c", 3)));
    }

    @Test
    void put_documentText_isStoredAsGiven_notReformatted() {
        String spaced = "{ \"b\" : 2 ,\n  \"a\" : [ 1.50, 1e3 ] }";
        String notJson = "plain text, not JSON at all";

        store.put("note", Map.of("spaced", spaced, "plain", notJson, "empty", ""));

        assertThat(store.get("note", "spaced")).contains(spaced);
        assertThat(store.get("note", "plain")).contains(notJson);
        assertThat(store.get("note", "empty")).contains("");
    }

    @Test
    void list_ordersByIdAscending_byCodePoint() {
        List<String> ids = new ArrayList<>(List.of("b", "a-10", "a-2", "B", "a", "é", "Z", "0", "a-1"));
        Collections.shuffle(ids, new Random(7));
        Map<String, String> docs = new HashMap<>();
        ids.forEach(id -> docs.put(id, rule(id, 1)));

        store.put("rule", docs);

        assertThat(store.list("rule").keySet()).containsExactly("0", "B", "Z", "a", "a-1", "a-10", "a-2", "b", "é");
    }

    @Test
    void kinds_areIsolated() {
        store.put("rule", Map.of("x", rule("rule-x", 1)));
        store.put("rules", Map.of("x", rule("rules-x", 2)));
        store.put("silence", Map.of("x", "{\"until\":\"2026-06-13T22:00:00Z\"}", "y", "{}"));

        assertThat(store.get("rule", "x")).contains(rule("rule-x", 1));
        assertThat(store.get("rules", "x")).contains(rule("rules-x", 2));
        assertThat(store.list("rule")).containsOnlyKeys("x");
        assertThat(store.list("silence")).containsOnlyKeys("x", "y");
        assertThat(store.list("rul")).isEmpty();

        assertThat(store.delete("rule", "x")).isTrue();

        assertThat(store.get("rule", "x")).isEmpty();
        assertThat(store.get("rules", "x")).contains(rule("rules-x", 2));
        assertThat(store.get("silence", "x")).isPresent();
        assertThat(store.delete("maintenance", "y")).as("y is a silence, not a maintenance window").isFalse();
        assertThat(store.get("silence", "y")).contains("{}");
    }

    @Test
    void delete_returnsWhetherTheDocumentExisted() {
        store.put("rule", Map.of("r-1", rule("a", 1), "r-2", rule("b", 2)));

        assertThat(store.delete("rule", "r-1")).isTrue();
        assertThat(store.delete("rule", "r-1")).as("already deleted").isFalse();
        assertThat(store.delete("rule", "never")).isFalse();

        assertThat(store.list("rule")).containsOnlyKeys("r-2");
        store.put("rule", Map.of("r-1", rule("again", 3)));
        assertThat(store.get("rule", "r-1")).as("a deleted id can be put again").contains(rule("again", 3));
    }

    @Test
    void put_emptyMap_changesNothing() {
        store.put("rule", Map.of("r-1", rule("a", 1)));

        store.put("rule", Map.of());

        assertThat(store.list("rule")).containsOnlyKeys("r-1");
    }

    @Test
    void nullArguments_throwNullPointerException_andStoreNothing() {
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("r-1", rule("a", 1));
        nullValue.put("r-2", null);
        nullValue.put("r-3", rule("c", 3));
        Map<String, String> nullId = new HashMap<>();
        nullId.put("r-1", rule("a", 1));
        nullId.put(null, rule("b", 2));

        assertThatThrownBy(() -> store.put("rule", nullValue)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put("rule", nullId)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put(null, Map.of("r-1", "{}"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put("rule", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.get("rule", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.list(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.delete(null, "r-1")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.append("alerts", null, "{}")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.append(null, SATURDAY_EVENING, "{}")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.append("alerts", SATURDAY_EVENING, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.enqueue("k-1", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.enqueue(null, "{}")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.claim(null, 1, LONG_CLAIM)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.claim("node-a", 1, null)).isInstanceOf(NullPointerException.class);

        assertThat(store.list("rule")).isEmpty();
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 10)).isEmpty();
        assertThat(store.pending(10)).isEmpty();
    }

    @Test
    void put_failingMidway_storesNothing() throws Exception {
        store.put("rule", Map.of("doc-00001", rule("before", 1)));
        // 10,000 documents, the refused one three quarters of the way in id order: a backend writing in slices has
        // written some of them when it fails.
        Map<String, String> docs = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            docs.put(String.format("doc-%05d", i), rule("after", i));
        }
        refuseDocument("rule", "doc-07500");

        assertThatThrownBy(() -> store.put("rule", docs)).isInstanceOf(StorageException.class);

        assertThat(store.list("rule")).containsExactly(Map.entry("doc-00001", rule("before", 1)));
        store.put("rule", Map.of("doc-07499", rule("fine", 2)));
        assertThat(store.list("rule")).containsOnlyKeys("doc-00001", "doc-07499");
    }

    @Test
    void put_isOneTransaction_readersSeeAllOfItOrNoneOfIt() throws Exception {
        int documents = 300;
        int generations = 25;
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> torn = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int g = 1; g <= generations; g++) {
                        Map<String, String> docs = new HashMap<>();
                        for (int i = 0; i < documents; i++) {
                            docs.put(String.format("r-%03d", i), rule("generation", g));
                        }
                        store.put("rule", docs);
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    int reads = 0;
                    do {
                        Map<String, String> seen = store.list("rule");
                        Set<String> versions = Set.copyOf(seen.values());
                        if (!seen.isEmpty() && (seen.size() != documents || versions.size() != 1)) {
                            torn.add(seen.size() + " documents in " + versions.size() + " generations");
                        }
                        reads++;
                    } while (writing.get());
                    return reads;
                }));
            }
            writer.get(120, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get(120, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(torn).as("lists that saw part of a put").isEmpty();
        assertThat(Set.copyOf(store.list("rule").values())).containsExactly(rule("generation", generations));
    }

    @Test
    void put_tenThousandDocumentsInOneCall_areAllListedInIdOrder() {
        Map<String, String> docs = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            docs.put(String.format("alert-%05d", i), "{\"fingerprint\":\"" + Integer.toHexString(i * 7919) + "\",\"n\":"
                    + i + "}");
        }

        store.put("alert_state", docs);

        Map<String, String> listed = store.list("alert_state");
        assertThat(listed).hasSize(10_000);
        assertThat(new ArrayList<>(listed.keySet())).isEqualTo(new ArrayList<>(new TreeMap<>(docs).keySet()));
        assertThat(listed).isEqualTo(docs);
        assertThat(store.get("alert_state", "alert-09999")).contains(docs.get("alert-09999"));
    }

    @Test
    void everything_survivesReopen() {
        store.put("rule", Map.of("r-1", rule("a", 1)));
        store.append("alerts", at(1), "{\"fired\":true}");
        store.enqueue("k-1", "{\"to\":\"pagerduty\"}");
        store.enqueue("k-2", "{\"to\":\"slack\"}");
        OutboxItem claimed = store.claim("node-a", 1, LONG_CLAIM).get(0);
        assertThat(store.complete(claimed.id(), "node-a")).isTrue();
        closeStore();
        store = null;

        store = newStore();

        assertThat(store.get("rule", "r-1")).contains(rule("a", 1));
        assertThat(jsons(store.history("alerts", Instant.MIN, Instant.MAX, 10))).containsExactly("{\"fired\":true}");
        assertThat(keys(store.pending(10))).containsExactly("k-2");
        assertThat(store.enqueue("k-1", "{}")).as("the key of a done item is still known").isFalse();
    }

    @Test
    void hostileText_roundTripsUnchanged_everywhere() {
        String json = "{\"note\":\"" + HOSTILE.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";

        store.put(HOSTILE, Map.of(HOSTILE, json, "plain", HOSTILE));
        store.append(HOSTILE, at(0), HOSTILE);
        store.append(HOSTILE, at(1), json);
        assertThat(store.enqueue(HOSTILE, json)).isTrue();
        assertThat(store.enqueue(HOSTILE, "{}")).isFalse();

        assertThat(store.get(HOSTILE, HOSTILE)).contains(json);
        assertThat(store.get(HOSTILE, "plain")).contains(HOSTILE);
        assertThat(store.list(HOSTILE)).containsOnly(Map.entry(HOSTILE, json), Map.entry("plain", HOSTILE));
        assertThat(store.history(HOSTILE, Instant.MIN, Instant.MAX, 10))
                .extracting(HistoryEntry::stream, HistoryEntry::json)
                .containsExactly(tuple(HOSTILE, json),
                        tuple(HOSTILE, HOSTILE));
        List<OutboxItem> claimed = store.claim(HOSTILE, 10, LONG_CLAIM);
        assertThat(claimed).extracting(OutboxItem::key, OutboxItem::json)
                .containsExactly(tuple(HOSTILE, json));
        assertThat(store.complete(claimed.get(0).id(), HOSTILE)).isTrue();
        assertThat(store.delete(HOSTILE, HOSTILE)).isTrue();
        assertThat(store.list(HOSTILE)).containsOnlyKeys("plain");
    }

    // --- history --------------------------------------------------------------------------------------------------------

    @Test
    void history_isNewestFirst_sameTimeInReverseAppendOrder() {
        store.append("alerts", at(5), "b");
        store.append("alerts", at(1), "a");
        store.append("alerts", at(9), "d");
        store.append("alerts", at(5), "c");

        List<HistoryEntry> entries = store.history("alerts", Instant.MIN, Instant.MAX, 10);

        assertThat(jsons(entries)).containsExactly("d", "c", "b", "a");
        assertThat(entries).extracting(HistoryEntry::at).containsExactly(at(9), at(5), at(5), at(1));
        assertThat(entries).extracting(HistoryEntry::stream).containsOnly("alerts");
    }

    @Test
    void history_seq_growsWithEveryAppend() {
        store.append("alerts", at(3), "first");
        store.append("other", at(2), "second");
        store.append("alerts", at(1), "third");

        long first = store.history("alerts", at(3), at(4), 1).get(0).seq();
        long second = store.history("other", Instant.MIN, Instant.MAX, 1).get(0).seq();
        long third = store.history("alerts", at(1), at(2), 1).get(0).seq();

        assertThat(first).isLessThan(second);
        assertThat(second).isLessThan(third);
    }

    @Test
    void history_boundsAreFromInclusiveToExclusive() {
        for (int m = 0; m < 10; m++) {
            store.append("alerts", at(m), "m" + m);
        }

        assertThat(jsons(store.history("alerts", at(3), at(6), 10))).containsExactly("m5", "m4", "m3");
        assertThat(jsons(store.history("alerts", at(3).plusMillis(1), at(6).plusMillis(1), 10)))
                .containsExactly("m6", "m5", "m4");
        assertThat(store.history("alerts", at(4), at(4), 10)).as("from equal to to").isEmpty();
        assertThat(store.history("alerts", at(6), at(3), 10)).as("from after to").isEmpty();
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 100)).hasSize(10);
        assertThat(store.history("alerts", Instant.EPOCH, at(0), 100)).isEmpty();
    }

    @Test
    void history_limit_keepsTheNewest() {
        for (int m = 0; m < 10; m++) {
            store.append("alerts", at(m), "m" + m);
        }

        assertThat(jsons(store.history("alerts", Instant.MIN, Instant.MAX, 3))).containsExactly("m9", "m8", "m7");
        assertThat(jsons(store.history("alerts", at(0), at(5), 2))).containsExactly("m4", "m3");
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 0)).isEmpty();
        assertThatThrownBy(() -> store.history("alerts", Instant.MIN, Instant.MAX, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void history_streamsAreIsolated() {
        store.append("alerts", at(1), "all-1");
        store.append("fp:3f9a", at(2), "one-1");
        store.append("alerts-archive", at(3), "archived");
        store.append("alerts", at(4), "all-2");

        assertThat(jsons(store.history("alerts", Instant.MIN, Instant.MAX, 10))).containsExactly("all-2", "all-1");
        assertThat(jsons(store.history("fp:3f9a", Instant.MIN, Instant.MAX, 10))).containsExactly("one-1");
        assertThat(jsons(store.history("alerts-archive", Instant.MIN, Instant.MAX, 10))).containsExactly("archived");
        assertThat(store.history("alert", Instant.MIN, Instant.MAX, 10)).isEmpty();
        assertThat(store.history("ALERTS", Instant.MIN, Instant.MAX, 10)).isEmpty();
    }

    @Test
    void history_atIsKeptToTheMillisecond() {
        store.append("alerts", Instant.parse("2026-06-13T18:00:00.123456789Z"), "precise");
        store.append("alerts", Instant.parse("1969-12-31T23:59:59.999Z"), "before the epoch");

        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 10)).extracting(HistoryEntry::at).containsExactly(
                Instant.parse("2026-06-13T18:00:00.123Z"), Instant.parse("1969-12-31T23:59:59.999Z"));
        assertThat(jsons(store.history("alerts", Instant.parse("2026-06-13T18:00:00.123Z"),
                Instant.parse("2026-06-13T18:00:00.124Z"), 10))).containsExactly("precise");
    }

    @Test
    void pruneHistory_deletesOlderEntriesOfEveryStream_andCountsThem() {
        store.append("alerts", at(1), "a1");
        store.append("alerts", at(2), "a2");
        store.append("alerts", at(3), "a3");
        store.append("fp:3f9a", at(1), "f1");
        store.append("fp:3f9a", at(5), "f5");

        assertThat(store.pruneHistory(at(3))).isEqualTo(3);

        assertThat(jsons(store.history("alerts", Instant.MIN, Instant.MAX, 10)))
                .as("an entry at the bound is kept").containsExactly("a3");
        assertThat(jsons(store.history("fp:3f9a", Instant.MIN, Instant.MAX, 10))).containsExactly("f5");
        assertThat(store.pruneHistory(at(3))).isZero();
        assertThat(store.pruneHistory(Instant.MAX)).isEqualTo(2);
        assertThat(store.history("alerts", Instant.MIN, Instant.MAX, 10)).isEmpty();
    }

    // --- outbox ---------------------------------------------------------------------------------------------------------

    @Test
    void enqueue_oncePerKey_theFirstIntentIsKept() {
        assertThat(store.enqueue("alert-1/pagerduty", "{\"v\":1}")).isTrue();
        assertThat(store.enqueue("alert-1/pagerduty", "{\"v\":2}")).isFalse();
        assertThat(store.enqueue("alert-1/slack", "{\"v\":3}")).isTrue();
        assertThat(store.enqueue("ALERT-1/pagerduty", "{\"v\":4}")).as("keys are case-sensitive").isTrue();

        assertThat(store.pending(10)).extracting(OutboxItem::key, OutboxItem::json).containsExactly(
                tuple("alert-1/pagerduty", "{\"v\":1}"),
                tuple("alert-1/slack", "{\"v\":3}"),
                tuple("ALERT-1/pagerduty", "{\"v\":4}"));
    }

    @Test
    void enqueue_keyOfADoneItem_isStillRefused() {
        store.enqueue("k-1", "{}");
        OutboxItem item = store.claim("node-a", 1, LONG_CLAIM).get(0);
        store.complete(item.id(), "node-a");

        assertThat(store.enqueue("k-1", "{\"again\":true}")).isFalse();

        assertThat(store.pending(10)).isEmpty();
        assertThat(store.claim("node-a", 10, LONG_CLAIM)).isEmpty();
    }

    @Test
    void claim_oldestFirst_upToTheLimit_withEveryField() {
        Instant before = Instant.now();
        for (int i = 1; i <= 5; i++) {
            store.enqueue("k-" + i, "{\"n\":" + i + "}");
        }
        Instant after = Instant.now();

        List<OutboxItem> first = store.claim("node-a", 2, LONG_CLAIM);
        List<OutboxItem> rest = store.claim("node-a", 10, LONG_CLAIM);

        assertThat(keys(first)).containsExactly("k-1", "k-2");
        assertThat(keys(rest)).containsExactly("k-3", "k-4", "k-5");
        assertThat(first.get(0).json()).isEqualTo("{\"n\":1}");
        assertThat(rest).extracting(OutboxItem::json).containsExactly("{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
        List<OutboxItem> all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(all).extracting(OutboxItem::attempts).containsOnly(0);
        assertThat(all).extracting(OutboxItem::id).doesNotHaveDuplicates().isSorted();
        // The store's clock (a database server's) may differ slightly from this JVM's.
        assertThat(all).allSatisfy(item -> assertThat(item.enqueuedAt())
                .isBetween(before.minusSeconds(5), after.plusSeconds(5)));
        assertThat(store.claim("node-b", 10, LONG_CLAIM)).isEmpty();
    }

    @Test
    void claim_claimedItem_isNotClaimedAgainUntilItsClaimExpires() {
        store.enqueue("k-1", "{}");
        store.enqueue("k-2", "{}");
        assertThat(keys(store.claim("node-a", 1, LONG_CLAIM))).containsExactly("k-1");

        assertThat(keys(store.claim("node-b", 10, LONG_CLAIM))).as("k-1 is held by node-a").containsExactly("k-2");
        assertThat(store.claim("node-b", 10, LONG_CLAIM)).isEmpty();
        assertThat(store.claim("node-a", 10, LONG_CLAIM)).as("not even its own claimer gets it twice").isEmpty();
    }

    @Test
    void claim_expiredClaim_isClaimedAgain_withAttemptsCounted() throws InterruptedException {
        store.enqueue("k-1", "{\"to\":\"florist\"}");
        OutboxItem first = store.claim("node-a", 1, SHORT_CLAIM).get(0);
        assertThat(first.attempts()).isZero();
        assertThat(store.claim("node-b", 1, LONG_CLAIM)).as("still held").isEmpty();

        outlastShortClaim(); // node-a died holding it

        List<OutboxItem> second = store.claim("node-b", 1, SHORT_CLAIM);
        assertThat(second).extracting(OutboxItem::id).containsExactly(first.id());
        assertThat(second.get(0).attempts()).as("claimed once before").isEqualTo(1);
        assertThat(second.get(0).json()).isEqualTo("{\"to\":\"florist\"}");
        assertThat(second.get(0).enqueuedAt()).isEqualTo(first.enqueuedAt());
        outlastShortClaim();
        OutboxItem third = store.claim("node-c", 1, LONG_CLAIM).get(0);
        assertThat(third.attempts()).isEqualTo(2);
        assertThat(store.pending(10)).extracting(OutboxItem::attempts).containsExactly(3);
    }

    @Test
    void complete_onlyByTheConsumerHoldingTheClaim() throws InterruptedException {
        store.enqueue("k-1", "{}");
        store.enqueue("k-2", "{}");
        OutboxItem item = store.claim("node-a", 1, SHORT_CLAIM).get(0);
        long unclaimed = store.pending(10).get(1).id();

        assertThat(store.complete(item.id(), "node-b")).as("another consumer").isFalse();
        assertThat(store.complete(unclaimed, "node-a")).as("an item nobody claimed").isFalse();
        assertThat(store.complete(item.id() + 1_000_000, "node-a")).as("an unknown id").isFalse();
        outlastShortClaim();
        assertThat(keys(store.claim("node-b", 1, LONG_CLAIM))).containsExactly("k-1");
        assertThat(store.complete(item.id(), "node-a")).as("the claim passed to node-b").isFalse();
        assertThat(store.complete(item.id(), "node-b")).isTrue();
        assertThat(store.complete(item.id(), "node-b")).as("already done").isFalse();

        assertThat(keys(store.pending(10))).containsExactly("k-2");
        assertThat(keys(store.claim("node-a", 10, LONG_CLAIM))).as("a done item is never claimed").containsExactly("k-2");
    }

    @Test
    void complete_afterTheOwnClaimExpired_succeedsWhileNobodyElseClaimedIt() throws InterruptedException {
        store.enqueue("k-1", "{}");
        OutboxItem item = store.claim("node-a", 1, SHORT_CLAIM).get(0);
        outlastShortClaim(); // the delivery took longer than the claim

        assertThat(store.complete(item.id(), "node-a")).isTrue();

        assertThat(store.pending(10)).isEmpty();
        assertThat(store.claim("node-b", 10, LONG_CLAIM)).isEmpty();
    }

    @Test
    void queues_areSeparate_keysAreUniqueAcrossThem() {
        assertThat(store.enqueue("intent-1", "{\"i\":1}")).isTrue();
        assertThat(store.enqueue("deliveries", "delivery-1", "{\"d\":1}")).isTrue();
        assertThat(store.enqueue("deliveries", "intent-1", "{\"d\":2}")).as("a key of another queue").isFalse();

        assertThat(keys(store.pending("deliveries", 10))).containsExactly("delivery-1");
        assertThat(keys(store.pending(10))).as("the intents queue").containsExactly("intent-1");
        assertThat(keys(store.claim("deliveries", "node-a", 10, LONG_CLAIM))).containsExactly("delivery-1");
        assertThat(keys(store.claim("node-a", 10, LONG_CLAIM))).containsExactly("intent-1");
        assertThat(store.claim("deliveries", "node-b", 10, LONG_CLAIM)).isEmpty();
    }

    @Test
    void retryLater_hidesTheItemForTheDelay_thenAnyoneClaimsIt_theOldClaimCannotComplete() throws Exception {
        store.enqueue("deliveries", "d-1", "{}");
        OutboxItem item = store.claim("deliveries", "node-a", 1, LONG_CLAIM).get(0);

        assertThat(store.retryLater(item.id(), "node-b", Duration.ZERO)).as("not node-b's claim").isFalse();
        assertThat(store.retryLater(item.id(), "node-a", SHORT_CLAIM)).isTrue();
        assertThat(store.claim("deliveries", "node-b", 1, LONG_CLAIM)).as("within the delay").isEmpty();
        assertThat(keys(store.pending("deliveries", 10))).as("still pending").containsExactly("d-1");
        assertThat(store.complete(item.id(), "node-a")).as("gave its claim back").isFalse();
        outlastShortClaim();

        List<OutboxItem> again = store.claim("deliveries", "node-b", 1, LONG_CLAIM);
        assertThat(again).extracting(OutboxItem::id).containsExactly(item.id());
        assertThat(again.get(0).attempts()).isEqualTo(1);
        assertThat(store.retryLater(item.id(), "node-b", Duration.ZERO)).isTrue();
        assertThat(keys(store.claim("deliveries", "node-c", 1, LONG_CLAIM))).as("no delay").containsExactly("d-1");
        assertThatThrownBy(() -> store.retryLater(item.id(), "node-c", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pruneOutbox_deletesOnlyWhatWasDoneBeforeTheBound_ofEveryQueue() throws Exception {
        store.enqueue("i-done", "{}");
        store.enqueue("deliveries", "d-dead", "{}");
        store.enqueue("deliveries", "d-waiting", "{}");
        store.enqueue("i-open", "{}");
        OutboxItem intent = store.claim("node-a", 1, LONG_CLAIM).get(0);
        store.complete(intent.id(), "node-a");
        List<OutboxItem> deliveries = store.claim("deliveries", "node-a", 2, LONG_CLAIM);
        store.deadLetter(deliveries.get(0).id(), "node-a", "http 400");
        store.retryLater(deliveries.get(1).id(), "node-a", LONG_CLAIM);

        assertThat(store.pruneOutbox(Instant.now().minusSeconds(3600))).as("nothing done an hour ago").isZero();
        Thread.sleep(5);
        assertThat(store.pruneOutbox(Instant.now())).isEqualTo(2);

        assertThat(keys(store.pending(10))).containsExactly("i-open");
        assertThat(keys(store.pending("deliveries", 10))).containsExactly("d-waiting");
        assertThat(store.deadLetters("deliveries", 10)).isEmpty();
        assertThat(store.enqueue("i-done", "{\"again\":true}")).as("a pruned key is forgotten").isTrue();
        assertThat(store.pruneOutbox(Instant.MAX)).isZero();
    }

    @Test
    void deadLetter_endsTheItemWithItsReason_listedNewestFirst() {
        store.enqueue("deliveries", "d-1", "{\"n\":1}");
        store.enqueue("deliveries", "d-2", "{\"n\":2}");
        store.enqueue("deliveries", "d-3", "{\"n\":3}");
        List<OutboxItem> items = store.claim("deliveries", "node-a", 3, LONG_CLAIM);

        assertThat(store.deadLetter(items.get(0).id(), "node-b", "x")).as("not node-b's claim").isFalse();
        assertThat(store.deadLetter(items.get(0).id(), "node-a", "http 400 invalid_payload")).isTrue();
        assertThat(store.complete(items.get(1).id(), "node-a")).isTrue();
        assertThat(store.deadLetter(items.get(2).id(), "node-a", "gave up after 1 h: http 503")).isTrue();
        assertThat(store.deadLetter(items.get(2).id(), "node-a", "again")).as("already done").isFalse();

        assertThat(store.pending("deliveries", 10)).isEmpty();
        assertThat(store.claim("deliveries", "node-a", 10, LONG_CLAIM)).isEmpty();
        List<StateStore.DeadLetter> dead = store.deadLetters("deliveries", 10);
        assertThat(dead).extracting(StateStore.DeadLetter::reason)
                .containsExactlyInAnyOrder("http 400 invalid_payload", "gave up after 1 h: http 503");
        assertThat(dead).extracting(d -> d.item().key()).containsOnly("d-1", "d-3");
        assertThat(dead.get(0).at()).isAfterOrEqualTo(dead.get(1).at());
        assertThat(dead).allSatisfy(d -> assertThat(d.item().attempts()).isEqualTo(1));
        assertThat(store.deadLetters(StateStore.INTENTS, 10)).isEmpty();
        assertThat(store.deadLetters("deliveries", 1)).hasSize(1);
    }

    @Test
    void pending_listsWhatIsNotDone_oldestFirst_upToTheLimit() {
        for (int i = 1; i <= 4; i++) {
            store.enqueue("k-" + i, "{\"n\":" + i + "}");
        }
        List<OutboxItem> claimed = store.claim("node-a", 2, LONG_CLAIM);
        store.complete(claimed.get(1).id(), "node-a");

        List<OutboxItem> pending = store.pending(10);

        assertThat(keys(pending)).as("claimed but not done is still pending").containsExactly("k-1", "k-3", "k-4");
        assertThat(pending).extracting(OutboxItem::attempts).containsExactly(1, 0, 0);
        assertThat(pending).extracting(OutboxItem::json).containsExactly("{\"n\":1}", "{\"n\":3}", "{\"n\":4}");
        assertThat(pending.get(0).id()).isEqualTo(claimed.get(0).id());
        assertThat(keys(store.pending(2))).containsExactly("k-1", "k-3");
        assertThat(store.pending(0)).isEmpty();
        assertThatThrownBy(() -> store.pending(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void claim_badLimitOrDuration_isRefused() {
        store.enqueue("k-1", "{}");

        assertThat(store.claim("node-a", 0, LONG_CLAIM)).isEmpty();
        assertThatThrownBy(() -> store.claim("node-a", -1, LONG_CLAIM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.claim("node-a", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimFor");
        assertThatThrownBy(() -> store.claim("node-a", 1, Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimFor");

        assertThat(store.pending(10)).extracting(OutboxItem::attempts).as("nothing was claimed").containsExactly(0);
    }

    @Test
    void claim_twoConcurrentClaimers_neverReceiveTheSameItem() throws Exception {
        int items = 300;
        for (int i = 0; i < items; i++) {
            store.enqueue(String.format("wedding-%03d/florist", i), "{\"n\":" + i + "}");
        }
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (String consumer : List.of("node-a", "node-b")) {
                claimers.add(pool.submit(() -> {
                    start.await();
                    List<OutboxItem> got;
                    do {
                        got = store.claim(consumer, 7, LONG_CLAIM);
                        for (OutboxItem item : got) {
                            received.add(item.key());
                            if (!store.complete(item.id(), consumer)) {
                                refused.add(consumer + " " + item.key());
                            }
                        }
                    } while (!got.isEmpty());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : claimers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(received).hasSize(items).doesNotHaveDuplicates();
        assertThat(refused).isEmpty();
        assertThat(store.pending(items)).isEmpty();
    }
}
