package org.csemu.fabric.deployment.fakes;

import java.util.ArrayList;
import java.util.List;

/** The ordered calls the fakes received, shared so a test can assert "out of rotation before shutdown". */
public final class Timeline {
    private final List<String> entries = new ArrayList<>();

    public synchronized void add(String entry) {
        entries.add(entry);
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** Index of the first entry equal to the text at or after {@code from}, or -1. */
    public synchronized int indexOf(String entry, int from) {
        for (int i = Math.max(0, from); i < entries.size(); i++) {
            if (entries.get(i).equals(entry)) {
                return i;
            }
        }
        return -1;
    }

    public int indexOf(String entry) {
        return indexOf(entry, 0);
    }

    public synchronized List<String> matching(String prefix) {
        return entries.stream().filter(e -> e.startsWith(prefix)).toList();
    }
}
