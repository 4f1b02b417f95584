package io.vigil.bench.jmh;

import io.vigil.bench.SyntheticRequests;
import io.vigil.core.WriteBatch;
import io.vigil.ingest.LabelRules;
import io.vigil.ingest.remotewrite.RemoteWriteDecoder;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xerial.snappy.Snappy;

/**
 * {@link RemoteWriteDecoder#decode} of one snappy WriteRequest of 2000 series × 1 sample, as Prometheus sends by
 * default ({@code max_samples_per_send: 2000}). Scores are samples/s (2000 operations per invocation).
 *
 * <ul>
 *   <li>{@code labels}: labels per series including {@code __name__} and a unique {@code series} label.</li>
 *   <li>{@code cache=warm}: one decoder shared by all invocations, so every series key comes from the cache of keys
 *       by raw label bytes, as in steady state. {@code cache=cold}: a new decoder per invocation (created outside
 *       the measured call), so every series' labels are decoded, validated, sorted and cached, as for a sender
 *       Vigil has never seen.</li>
 *   <li>{@code decodeUncompressed} is the same request without the snappy step, to show what decompression
 *       costs.</li>
 * </ul>
 *
 * <p>Measured (2 vCPU AMD EPYC (Firecracker VM), Temurin 25.0.3, -f 1 -wi 3 -i 5 -w 2s -r 3s, 2026-11-24), samples/s:
 * decode warm 3.6 M (5 labels) / 2.8 M (10); cold 0.64 M / 0.41 M; decodeUncompressed warm 6.3 M / 4.2 M.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class RemoteWriteDecodeBenchmark {
    static final int SERIES = 2000;

    @Param({"5", "10"})
    int labels;

    @Param({"warm", "cold"})
    String cache;

    byte[] body;
    byte[] raw;
    RemoteWriteDecoder shared;
    RemoteWriteDecoder decoder;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        body = SyntheticRequests.remoteWrite("bench_requests_total", 0, SERIES, labels, System.currentTimeMillis());
        raw = Snappy.uncompress(body);
        shared = newDecoder();
        WriteBatch check = shared.decode(body);
        if (check.sampleCount() != SERIES || check.rejected() != 0) {
            throw new IllegalStateException("decoded " + check.sampleCount() + " samples, rejected " + check.rejected()
                    + ": " + check.errors());
        }
    }

    /** A decoder configured as the server configures it. */
    static RemoteWriteDecoder newDecoder() {
        return new RemoteWriteDecoder(LabelRules.DEFAULTS, Clock.systemUTC(), 64 << 20, 1 << 20);
    }

    @Setup(Level.Invocation)
    public void pickDecoder() {
        decoder = cache.equals("cold") ? newDecoder() : shared;
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public WriteBatch decode() {
        return decoder.decode(body);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public WriteBatch decodeUncompressed() {
        return decoder.decodeUncompressed(raw, 0, raw.length);
    }
}
