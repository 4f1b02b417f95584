package io.vigil.calendar.report;

import java.time.Duration;
import java.time.Instant;

/**
 * One request to a vendor and its first acknowledgement.
 *
 * @param ref the request id
 * @param vendorId the vendor asked
 * @param requestedAt the {@code vendor_request}
 * @param acknowledgedAt the first {@code vendor_ack} with the same ref; null when none yet
 * @param ackTime {@code acknowledgedAt - requestedAt} (never negative); null when not acknowledged
 * @param waiting how long it has been waiting at the report's "now"; null when acknowledged
 */
public record VendorRequest(String ref, String vendorId, Instant requestedAt, Instant acknowledgedAt,
                            Duration ackTime, Duration waiting) {

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}
