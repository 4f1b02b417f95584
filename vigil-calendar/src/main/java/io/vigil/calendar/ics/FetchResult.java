package io.vigil.calendar.ics;

/** The outcome of fetching a feed: its body, or why there is none. */
public sealed interface FetchResult {

    /** The feed's body as received (not parsed yet). */
    record Fetched(byte[] body) implements FetchResult {
        @Override
        public String toString() {
            return "Fetched[" + body.length + " bytes]";
        }
    }

    /**
     * The feed could not be fetched.
     *
     * @param message what happened, naming the feed without credentials, query or path
     */
    record Failed(FetchFailure reason, String message) implements FetchResult { }
}
