package io.vigil.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> replayAll(long from) {
        List<String> seen = new ArrayList<>();
        WriteAheadLog.open(dir, 1 << 20, from, (seq, p) -> seen.add(seq + ":" + new String(p, StandardCharsets.UTF_8)))
                .close();
        return seen;
    }

    @Test
    void append_thenReopen_replaysEveryRecordInOrder() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            long a = wal.append(bytes("a"), 1);
            long b = wal.append(bytes("b"), 1);
            wal.awaitDurable(b);
            assertThat(b).isEqualTo(a + 1);
        }
        assertThat(replayAll(0)).containsExactly("1:a", "2:b");
    }

    @Test
    void replay_fromSequence_skipsEarlierRecords() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            for (String s : List.of("a", "b", "c")) {
                wal.awaitDurable(wal.append(bytes(s), 1));
            }
        }
        assertThat(replayAll(3)).containsExactly("3:c");
    }

    @Test
    void sequences_continueAcrossReopen() {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            wal.awaitDurable(wal.append(bytes("a"), 1));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            assertThat(wal.append(bytes("b"), 1)).isEqualTo(2);
        }
    }

    @Test
    void tornTail_endsReplayAtLastIntactRecord() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            wal.append(bytes("first"), 5);
            wal.awaitDurable(wal.append(bytes("second"), 6));
        }
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 3); // a crash in the middle of writing the second record
        }
        assertThat(replayAll(0)).containsExactly("1:first");
    }

    @Test
    void corruptPayload_endsReplayThere() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            wal.append(bytes("first"), 5);
            wal.awaitDurable(wal.append(bytes("second"), 6));
        }
        Path segment = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(f.length() - 1);
            f.write('X');
        }
        assertThat(replayAll(0)).containsExactly("1:first");
    }

    @Test
    void afterTornTail_newAppendsGoToNewSegmentAndReplay() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            wal.awaitDurable(wal.append(bytes("a"), 1));
        }
        try (RandomAccessFile f = new RandomAccessFile(segments().get(0).toFile(), "rw")) {
            f.seek(f.length());
            f.write(new byte[] {9, 9}); // garbage tail
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            wal.awaitDurable(wal.append(bytes("b"), 1));
        }
        assertThat(replayAll(0)).containsExactly("1:a", "2:b");
    }

    @Test
    void roll_thenDeleteBefore_dropsOnlyCoveredSegments() throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {})) {
            wal.append(bytes("a"), 1);
            long next = wal.roll();
            wal.awaitDurable(wal.append(bytes("b"), 1));
            wal.deleteBefore(next);
            assertThat(segments()).hasSize(1);
        }
        assertThat(replayAll(0)).containsExactly("2:b");
    }

    @Test
    void segmentSize_rollsAutomatically() throws IOException {
        byte[] big = new byte[40_000];
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 65_536, 0, (s, p) -> {})) {
            for (int i = 0; i < 5; i++) {
                wal.awaitDurable(wal.append(big, big.length));
            }
        }
        assertThat(segments().size()).isGreaterThanOrEqualTo(4);
        assertThat(replayAll(0)).hasSize(5);
    }

    @Test
    void concurrentWriters_allDurableAndReplayed() throws Exception {
        ConcurrentLinkedQueue<Long> acked = new ConcurrentLinkedQueue<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, 1 << 20, 0, (s, p) -> {});
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        long seq = wal.append(bytes("x"), 1);
                        wal.awaitDurable(seq);
                        assertThat(wal.durableSequence()).isGreaterThanOrEqualTo(seq);
                        acked.add(seq);
                    }
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
        assertThat(acked).hasSize(3200).doesNotHaveDuplicates();
        assertThat(replayAll(0)).hasSize(3200);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }
}
