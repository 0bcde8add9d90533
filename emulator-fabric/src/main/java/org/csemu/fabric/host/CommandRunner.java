package org.csemu.fabric.host;

import java.time.Duration;
import java.util.List;

/** Runs a host program; an interface so that check logic is unit-tested with canned answers. */
@FunctionalInterface
public interface CommandRunner {

    /** Runs {@code command} (no shell), waits at most {@code timeout}, never throws for a failing program. */
    CommandResult run(Duration timeout, List<String> command);
}
