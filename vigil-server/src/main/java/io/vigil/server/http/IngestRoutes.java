package io.vigil.server.http;

import com.google.protobuf.util.JsonFormat;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.vigil.core.WriteBatch;
import io.vigil.engine.IngestResult;
import io.vigil.engine.StorageEngine;
import io.vigil.ingest.MalformedPayloadException;
import io.vigil.ingest.json.JsonBatchDecoder;
import io.vigil.ingest.otlp.OtlpMetricsDecoder;
import io.vigil.ingest.remotewrite.RemoteWriteDecoder;
import io.vigil.store.StorageException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The three ingest endpoints: OTLP/HTTP {@code POST /v1/metrics}, Prometheus remote write {@code POST /api/v1/write}
 * and the JSON batch API {@code POST /api/v1/metrics}. A response is sent only after every accepted sample is durable.
 */
final class IngestRoutes {
    private final StorageEngine engine;
    private final RemoteWriteDecoder remoteWrite;
    private final OtlpMetricsDecoder otlp;
    private final JsonBatchDecoder json;
    private final long maxBodyBytes;
    /**
     * Bounds the ingest requests decoded at once, and with them the memory they hold (each up to maxBodyBytes and its
     * decompressed form). Handlers run on virtual threads, so without it a flood would have no limit but the heap.
     */
    private final Semaphore inFlight;

    /** Rewrites labels of a decoded batch before it is stored (the per-wedding label window). */
    private final java.util.function.Consumer<WriteBatch> labelPolicy;
    /** Told of every acknowledged batch (alerting evaluates the rules it concerns at once). */
    private final java.util.function.Consumer<WriteBatch> ingested;

    IngestRoutes(StorageEngine engine, RemoteWriteDecoder remoteWrite, OtlpMetricsDecoder otlp, JsonBatchDecoder json,
                 long maxBodyBytes, int maxConcurrent, java.util.function.Consumer<WriteBatch> labelPolicy,
                 java.util.function.Consumer<WriteBatch> ingested) {
        this.labelPolicy = labelPolicy;
        this.ingested = ingested;
        this.inFlight = new Semaphore(maxConcurrent, true);
        this.engine = engine;
        this.remoteWrite = remoteWrite;
        this.otlp = otlp;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Remote write 1.0: 204 when all stored, 400 when any sample was invalid (valid ones are stored), 503 retryable. */
    void remoteWrite(Context ctx) {
        bounded(ctx, this::remoteWriteUnbounded);
    }

    private void remoteWriteUnbounded(Context ctx) {
        String type = mediaType(ctx);
        if (type != null && !type.equals("application/x-protobuf")) {
            throw new HttpProblem(415, "Content-Type '" + type + "' is not remote write; send application/x-protobuf "
                    + "with Content-Encoding: snappy");
        }
        byte[] body = BodyReader.read(ctx, maxBodyBytes, false, "snappy");
        WriteBatch batch = decode(() -> remoteWrite.decode(body));
        IngestResult result = store(batch);
        if (result.rejected() > 0) {
            throw new HttpProblem(400, result.rejected() + " samples rejected (" + result.accepted()
                    + " accepted and stored): " + String.join("; ", result.errors()));
        }
        ctx.status(204);
    }

    /** OTLP/HTTP metrics, protobuf or JSON by Content-Type; answers in the same content type. */
    void otlp(Context ctx) {
        bounded(ctx, this::otlpUnbounded);
    }

    private void otlpUnbounded(Context ctx) {
        String type = mediaType(ctx);
        boolean isJson;
        if ("application/x-protobuf".equals(type)) {
            isJson = false;
        } else if ("application/json".equals(type)) {
            isJson = true;
        } else {
            throw new HttpProblem(415, "Content-Type '" + type + "' is not supported; OTLP/HTTP uses "
                    + "application/x-protobuf or application/json");
        }
        byte[] body = BodyReader.read(ctx, maxBodyBytes, true, null);
        WriteBatch batch = decode(() -> otlp.decode(body, isJson));
        IngestResult result = store(batch);
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (result.rejected() > 0) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(result.rejected())
                    .setErrorMessage(String.join("; ", result.errors())));
        }
        ctx.status(200);
        if (isJson) {
            try {
                ctx.contentType("application/json").result(JsonFormat.printer().print(response));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        } else {
            ctx.contentType("application/x-protobuf").result(response.build().toByteArray());
        }
    }

    /** The JSON batch API: 200 with counts; 400 when nothing could be accepted. */
    void json(Context ctx) {
        bounded(ctx, this::jsonUnbounded);
    }

    private void jsonUnbounded(Context ctx) {
        String type = mediaType(ctx);
        if (type != null && !type.equals("application/json")) {
            throw new HttpProblem(415, "Content-Type '" + type + "' is not supported; send application/json");
        }
        byte[] body = BodyReader.read(ctx, maxBodyBytes, true, null);
        WriteBatch batch = decode(() -> json.decode(body));
        IngestResult result = store(batch);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", result.accepted());
        answer.put("rejected", result.rejected());
        answer.put("errors", result.errors());
        ctx.status(result.accepted() == 0 && result.rejected() > 0 ? 400 : 200).json(answer);
    }

    private void bounded(Context ctx, java.util.function.Consumer<Context> handler) {
        if (engine.storeFailure() != null) {
            throw STORE_DOWN;
        }
        boolean acquired;
        try {
            acquired = inFlight.tryAcquire(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new HttpProblem(503, "too many ingest requests at once; nothing of this request was stored, retry later",
                    1);
        }
        try {
            handler.accept(ctx);
        } finally {
            inFlight.release();
        }
    }

    private static WriteBatch decode(java.util.function.Supplier<WriteBatch> decoder) {
        try {
            return decoder.get();
        } catch (MalformedPayloadException e) {
            throw new HttpProblem(400, e.getMessage());
        }
    }

    private IngestResult store(WriteBatch batch) {
        labelPolicy.accept(batch);
        IngestResult result;
        try {
            result = engine.write(batch);
        } catch (UncheckedIOException | StorageException | IllegalStateException e) {
            throw STORE_DOWN;
        }
        ingested.accept(batch);
        return result;
    }

    private static final HttpProblem STORE_DOWN = new HttpProblem(503,
            "storage is unavailable, nothing of this request was acknowledged; retry later", 5);

    private static String mediaType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi >= 0 ? ct.substring(0, semi) : ct).trim().toLowerCase(Locale.ROOT);
    }
}
