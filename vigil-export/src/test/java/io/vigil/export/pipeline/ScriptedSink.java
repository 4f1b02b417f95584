package io.vigil.export.pipeline;

import io.vigil.core.outbound.SendOutcome;
import io.vigil.export.ExportSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A far side for the worker tests: one payload per batch (the items' toString joined), answers scripted per attempt,
 * optionally hanging until released. Records every attempt.
 */
final class ScriptedSink implements ExportSink<String> {
    final LinkedBlockingQueue<Function<Payload<String>, SendOutcome>> script = new LinkedBlockingQueue<>();
    final List<List<String>> attempts = Collections.synchronizedList(new ArrayList<>());
    final List<List<String>> delivered = Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch hang;
    private final int maxBatch;

    ScriptedSink(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public Encoded<String> encode(List<String> items) {
        List<String> ok = items.stream().filter(i -> !i.startsWith("unencodable")).toList();
        return new Encoded<>(ok.isEmpty() ? List.of() : List.of(new Payload<>(ok, String.join(",", ok).getBytes())),
                items.size() - ok.size(), "too_large");
    }

    @Override
    public SendOutcome send(Payload<String> payload) {
        attempts.add(payload.items());
        CountDownLatch h = hang;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new SendOutcome.Retry("interrupted", 0, null);
            }
        }
        Function<Payload<String>, SendOutcome> answer = script.poll();
        SendOutcome outcome = answer == null ? new SendOutcome.Delivered(202) : answer.apply(payload);
        if (outcome instanceof SendOutcome.Delivered) {
            delivered.add(payload.items());
        }
        return outcome;
    }
}
