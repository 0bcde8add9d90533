package org.csemu.fabric.readiness;

import java.util.List;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;

/**
 * One readiness condition, looked at again and again under one deadline until it holds: the idea of testcontainers'
 * wait strategies (one interface, composable, one timeout). A look says ready, not yet (and why: what a timeout
 * reports), or failed (a definite answer: waiting longer would not help). An exception from a look ends the wait
 * too. The CLI's waits ({@code run --wait-ready}, {@code scale}, {@code resume}, instance operations) and the
 * tests' waits use these instead of comparing state names.
 */
@FunctionalInterface
public interface Ready {

    /** One look. */
    Status check() throws Exception;

    /**
     * Looks until ready or failed, or until the deadline passed, pausing as {@code poller} does between looks.
     *
     * @return the last look: ready, failed, or not yet when the deadline came first
     */
    default Status await(Deadline deadline, Poller poller) throws Exception {
        Status[] last = {null};
        poller.within(deadline, () -> {
            last[0] = check();
            return last[0].outcome() != Status.Outcome.NOT_YET;
        });
        return last[0];
    }

    /**
     * Ready when every part is, failed as soon as one part fails. A part that was ready is not asked again (as the
     * parts of testcontainers' WaitAllStrategy, one after the other under one timeout); the parts not ready yet are
     * all asked at every look, so a timeout names each of them.
     */
    static Ready allOf(List<? extends Ready> parts) {
        return new AllOf(parts);
    }

    /** What one look found; {@code detail} says why not (empty when ready). */
    record Status(Outcome outcome, String detail) {

        public enum Outcome { READY, NOT_YET, FAILED }

        private static final Status READY = new Status(Outcome.READY, "");

        public static Status ready() {
            return READY;
        }

        public static Status notYet(String why) {
            return new Status(Outcome.NOT_YET, why);
        }

        public static Status failed(String why) {
            return new Status(Outcome.FAILED, why);
        }

        public boolean isReady() {
            return outcome == Outcome.READY;
        }

        public boolean isFailed() {
            return outcome == Outcome.FAILED;
        }
    }
}
