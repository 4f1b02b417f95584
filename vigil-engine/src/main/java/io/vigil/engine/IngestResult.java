package io.vigil.engine;

import java.util.List;

/**
 * The outcome of one write: samples made durable and acknowledged, points rejected, and why.
 *
 * @param accepted samples durable in the WAL and visible to queries
 * @param rejected points refused by the decoder or by the series limit
 * @param errors distinct reasons, at most ten, safe to return to the sender (no label values)
 * @param limitRejected points refused only because of the per-metric series limit
 */
public record IngestResult(long accepted, long rejected, List<String> errors, long limitRejected) {}
