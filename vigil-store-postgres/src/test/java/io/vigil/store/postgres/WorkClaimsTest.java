package io.vigil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claim-once behaviour of the work-claim table, against the real PostgreSQL that ./vigil test starts. */
class WorkClaimsTest {
    private PostgresMetricStore nodeA;
    private PostgresMetricStore nodeB;


    @BeforeEach
    void open() throws Exception {
        PostgresSettings settings = TestDatabase.settings(4);
        nodeA = PostgresMetricStore.open(settings, "a");
        nodeB = PostgresMetricStore.open(settings, "b");
        try (Connection c = TestDatabase.connect();
             Statement s = c.createStatement()) {
            s.execute("TRUNCATE work_item");
        }
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void enqueue_sameKeyTwice_isOneItem() throws Exception {
        WorkClaims claims = new WorkClaims(nodeA.dataSource());
        assertThat(claims.enqueue("delivery", "alert-1/pagerduty", bytes("x"))).isTrue();
        assertThat(claims.enqueue("delivery", "alert-1/pagerduty", bytes("y"))).isFalse();
        assertThat(claims.claim("delivery", "a", 10, Duration.ofMinutes(1))).singleElement()
                .satisfies(i -> assertThat(new String(i.payload(), StandardCharsets.UTF_8)).isEqualTo("x"));
    }

    @Test
    void twoNodesRacing_eachItemIsClaimedByExactlyOne() throws Exception {
        WorkClaims a = new WorkClaims(nodeA.dataSource());
        WorkClaims b = new WorkClaims(nodeB.dataSource());
        for (int i = 0; i < 200; i++) {
            a.enqueue("delivery", "item-" + i, bytes("p" + i));
        }
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                WorkClaims claims = t % 2 == 0 ? a : b;
                String node = "node-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<WorkClaims.Item> got;
                    do {
                        got = claims.claim("delivery", node, 7, Duration.ofMinutes(1));
                        for (WorkClaims.Item item : got) {
                            claimed.add(item.key());
                            assertThat(claims.complete(item.id(), node)).isTrue();
                        }
                    } while (!got.isEmpty());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(claimed).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void expiredClaim_isClaimedAgain_andTheOldHolderCannotComplete() throws Exception {
        WorkClaims a = new WorkClaims(nodeA.dataSource());
        WorkClaims b = new WorkClaims(nodeB.dataSource());
        a.enqueue("check", "cdn-eu", bytes("x"));
        List<WorkClaims.Item> first = a.claim("check", "node-a", 1, Duration.ofMillis(200));
        assertThat(first).hasSize(1);
        assertThat(b.claim("check", "node-b", 1, Duration.ofMinutes(1))).isEmpty(); // still held
        Thread.sleep(400); // node-a "died" holding it: the claim expires
        List<WorkClaims.Item> second = b.claim("check", "node-b", 1, Duration.ofMinutes(1));
        assertThat(second).extracting(WorkClaims.Item::id).containsExactly(first.get(0).id());
        assertThat(a.complete(first.get(0).id(), "node-a")).isFalse();
        assertThat(b.complete(first.get(0).id(), "node-b")).isTrue();
        assertThat(a.claim("check", "node-a", 1, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void twoNodeProcessesRacing_eachItemIsDoneByExactlyOne() throws Exception {
        WorkClaims claims = new WorkClaims(nodeA.dataSource());
        for (int i = 0; i < 300; i++) {
            claims.enqueue("vendor-notification", "wedding-" + i + "/florist", bytes("p" + i));
        }
        List<Process> racers = new ArrayList<>();
        for (String node : List.of("racer-1", "racer-2")) {
            String java = ProcessHandle.current().info().command().orElse("java");
            racers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ClaimRacer.class.getName(), TestDatabase.env("VIGIL_TEST_PG_URL"),
                    TestDatabase.env("VIGIL_TEST_PG_USER"), node, "vendor-notification")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        List<java.io.BufferedReader> outputs = new ArrayList<>();
        for (Process p : racers) {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            outputs.add(out);
        }
        for (Process p : racers) {
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
        }
        List<String> done = new ArrayList<>();
        List<Integer> perRacer = new ArrayList<>();
        for (int r = 0; r < racers.size(); r++) {
            List<String> lines = outputs.get(r).lines().toList();
            assertThat(racers.get(r).waitFor()).isZero();
            perRacer.add(lines.size());
            done.addAll(lines);
        }
        assertThat(done).hasSize(300).doesNotHaveDuplicates();
        assertThat(perRacer).as("both processes took part").allMatch(n -> n > 0);
    }
}
