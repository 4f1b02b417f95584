package io.vigil.calendar.report;

import java.time.Duration;
import java.util.List;

/**
 * How one vendor answered.
 *
 * @param vendorId the vendor
 * @param requests requests sent to it
 * @param acknowledged of those, the ones acknowledged
 * @param medianAck median acknowledgement time; null when nothing was acknowledged
 * @param maxAck slowest acknowledgement; null when nothing was acknowledged
 * @param unacknowledged its requests still waiting, longest waiting first
 */
public record VendorStats(String vendorId, int requests, int acknowledged, Duration medianAck, Duration maxAck,
                         List<VendorRequest> unacknowledged) {

    public VendorStats {
        unacknowledged = List.copyOf(unacknowledged);
    }
}
